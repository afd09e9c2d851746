using System.Globalization;
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
        if (value is TimeSpan span)
        {
            return span;
        }
        if (IsNumber(value))
        {
            // A bare 3s or 7d on the command line is a PowerShell number literal (short 3, decimal 7);
            // the engine keeps the token as typed, and PSObject.ToString returns it.
            var typed = inputData is PSObject token ? token.ToString() : null;
            if (typed is not null && typed.Length > 0 && char.IsLetter(typed[^1]) && DurationParser.TryParse(typed, out var literal))
            {
                return literal;
            }
            return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
        }
        if (value is string text)
        {
            return DurationParser.TryParse(text, out var duration)
                ? duration
                : throw new ArgumentTransformationMetadataException(
                    $"'{text}' is not a duration. Use forms such as 30s, 15m, 1h30m, 720h, 7d, or a TimeSpan such as 1.00:00:00.");
        }
        return inputData;
    }

    private static bool IsNumber(object? value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or System.Numerics.BigInteger;
}
