using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Completers;

/// <summary>Completes storage location names from the user's saved locations.</summary>
public sealed class StorageLocationNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var locations = new StorageLocationCatalog(UserPaths.FromEnvironment()).List();
            return CompletionResults.Matching(wordToComplete, locations.Select(l => (l.Name, l.Url)));
        }
        catch (Exception)
        {
            return [];
        }
    }
}
