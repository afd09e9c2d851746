using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Completers;

/// <summary>
/// Completes backup names in the bound -StorageLocation (or the default one) from the keys of the backup records
/// (<c>backups/&lt;name&gt;/backup.json</c>): no repository key is needed, so it works for encrypted repositories, and
/// only one listing is made. A slow or unreachable store completes nothing after a short wait: Tab never hangs.
/// </summary>
public sealed class BackupNameCompleter() : RecordNameCompleter(RepositoryLayout.BackupsPrefix, RepositoryLayout.RecordFileName);

/// <summary>Completes restore names the same way, from <c>restores/&lt;name&gt;/restore.json</c>.</summary>
public sealed class RestoreNameCompleter() : RecordNameCompleter(RepositoryLayout.RestoresPrefix, Core.Restore.RestoreRecordJson.RecordFile);

/// <summary>Completes schedule names the same way, from <c>schedules/&lt;name&gt;.json</c>.</summary>
public sealed class ScheduleNameCompleter() : RecordNameCompleter(RepositoryLayout.SchedulesPrefix, ".json")
{
    protected override string? NameOf(string key)
    {
        var file = key[RepositoryLayout.SchedulesPrefix.Length..];
        return !file.Contains('/') && file.EndsWith(".json", StringComparison.Ordinal) && file.Length > 5 ? file[..^5] : null;
    }
}

/// <summary>Completes the names of the records under one prefix of a storage location, from their keys alone.</summary>
public abstract class RecordNameCompleter(string prefix, string recordFile) : IArgumentCompleter
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var location = fakeBoundParameters["StorageLocation"] switch
            {
                StorageLocation given => given,
                PSObject { BaseObject: StorageLocation given } => given,
                string text => StorageLocationResolver.Resolve(text, new StorageLocationCatalog(UserPaths.FromEnvironment())),
                _ => new StorageLocationCatalog(UserPaths.FromEnvironment()).GetDefault(),
            };
            using var timeout = new CancellationTokenSource(Timeout);
            var listing = Task.Run(() => ListAsync(location, timeout.Token), timeout.Token);
            if (!listing.Wait(Timeout))
            {
                timeout.Cancel();
                return [];
            }
            return CompletionResults.Matching(wordToComplete, listing.Result.Select(b =>
                (b.Name, $"{b.Name} ({b.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)})")));
        }
        catch (Exception)
        {
            // An unknown location, no access, a timeout: nothing to complete; the command itself will say why.
            return [];
        }
    }

    /// <summary>The record's name from one key under the prefix (<c>backups/&lt;name&gt;/backup.json</c>), or null for other keys.</summary>
    protected virtual string? NameOf(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts[2] == recordFile ? parts[1] : null;
    }

    private async Task<List<(string Name, DateTimeOffset Time)>> ListAsync(StorageLocation location, CancellationToken cancellationToken)
    {
        var names = new List<(string, DateTimeOffset)>();
        var store = ReadOnlyObjectStore.Open(location);
        await using (store.ConfigureAwait(false))
        {
            await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (NameOf(info.Key) is { } name)
                {
                    names.Add((name, info.LastModified));
                }
            }
        }
        return names;
    }
}
