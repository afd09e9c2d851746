using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KubeBackup.Completers;

/// <summary>Completes time zone ids (IANA on Linux and macOS; .NET lists them on Windows too when ICU is present).</summary>
public sealed class TimeZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var ids = TimeZoneInfo.GetSystemTimeZones().Select(z => TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase);
            return CompletionResults.Matching(wordToComplete, ids.Select(id => (id, id)));
        }
        catch (Exception)
        {
            return [];
        }
    }
}
