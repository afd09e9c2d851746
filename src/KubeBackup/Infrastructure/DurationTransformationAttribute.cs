using System.Management.Automation;
using KubeBackup.Core.Common;

namespace KubeBackup.Infrastructure;

/// <summary>
/// Lets a TimeSpan parameter take Velero duration strings (<c>720h</c>, <c>30m</c>, <c>7d</c>) as well as
/// TimeSpan values and TimeSpan text.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            TimeSpan span => span,
            string text when DurationParser.TryParse(text, out var duration) => duration,
            string text => throw new ArgumentTransformationMetadataException(
                $"'{text}' is not a duration. Use forms such as 30s, 15m, 1h30m, 720h, 7d, or a TimeSpan such as 1.00:00:00."),
            int or long => TimeSpan.FromSeconds(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => inputData,
        };
    }
}
