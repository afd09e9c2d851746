using System.Collections;
using System.Management.Automation;

namespace KubeBackup.Infrastructure;

/// <summary>
/// Hashtables from a script hold PSObject-wrapped values when they come from variables or pipelines; Core takes
/// plain .NET values, so they are unwrapped all the way down before they cross.
/// </summary>
internal static class PlainValues
{
    public static object? Unwrap(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        IDictionary dictionary => dictionary.Cast<DictionaryEntry>().ToDictionary(e => Unwrap(e.Key)?.ToString() ?? "", e => Unwrap(e.Value), StringComparer.OrdinalIgnoreCase),
        string text => text,
        IEnumerable list => list.Cast<object?>().Select(Unwrap).ToList(),
        var plain => plain,
    };

    /// <summary>A hashtable of names to texts (labels, a namespace mapping) as Core takes it; keys keep their case.</summary>
    public static Dictionary<string, string> Texts(IDictionary table) =>
        table.Cast<DictionaryEntry>().ToDictionary(e => Unwrap(e.Key)?.ToString() ?? "", e => Unwrap(e.Value)?.ToString() ?? "", StringComparer.Ordinal);
}
