using System.Management.Automation;

namespace KubeBackup.Infrastructure;

/// <summary>Rejects zero and negative durations at binding time, with a message that says which forms work.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidatePositiveDurationAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is not TimeSpan duration || duration <= TimeSpan.Zero)
        {
            throw new ValidationMetadataException($"The duration must be greater than zero, such as 30s, 15m or 1h; '{value}' is not.");
        }
    }
}
