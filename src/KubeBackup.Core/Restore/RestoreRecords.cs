using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Restore;

/// <summary>Reads the restore records of a repository (summaries newest first, per-item results, logs) and removes them.</summary>
public static class RestoreRecords
{
    /// <summary>Every restore with a record, newest first; records this module cannot read are skipped with a warning to <paramref name="onUnreadable"/>.</summary>
    public static async Task<IReadOnlyList<RestoreSummary>> ListAsync(BackupRepository repository, string? storageLocation, Action<string>? onUnreadable, CancellationToken cancellationToken)
    {
        var summaries = new List<RestoreSummary>();
        foreach (var name in await repository.ListRestoresAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await repository.GetRestoreFileAsync(name, RestoreRecordJson.RecordFile, cancellationToken).ConfigureAwait(false) is not { } record)
            {
                continue; // items written, record not (yet): not a restore anyone can read
            }
            try
            {
                summaries.Add(RestoreRecordJson.Parse(name, record, storageLocation));
            }
            catch (KbException e)
            {
                onUnreadable?.Invoke(e.Message);
            }
        }
        return summaries.OrderByDescending(s => s.Started).ThenByDescending(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public static async Task<RestoreSummary> GetAsync(BackupRepository repository, string name, string? storageLocation, CancellationToken cancellationToken) =>
        RestoreRecordJson.Parse(name, await ReadAsync(repository, name, RestoreRecordJson.RecordFile, cancellationToken).ConfigureAwait(false), storageLocation);

    public static async Task<IReadOnlyList<RestoreItemResult>> GetItemsAsync(BackupRepository repository, string name, CancellationToken cancellationToken) =>
        RestoreRecordJson.ParseItems(name, await ReadAsync(repository, name, RestoreRecordJson.ItemsFile, cancellationToken).ConfigureAwait(false));

    public static async Task<IReadOnlyList<BackupLogEntry>> GetLogAsync(BackupRepository repository, string name, CancellationToken cancellationToken) =>
        BackupLogEntry.ParseLog(await ReadAsync(repository, name, RestoreRecordJson.LogFile, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Removes a restore's record: <c>restore.json</c> first, so the restore is gone at once (as a backup's record is its
    /// commit point), then its items and log. What the restore created in a cluster stays; this is its history only.
    /// </summary>
    /// <exception cref="KbException"><see cref="ErrorIds.RestoreNotFound"/>.</exception>
    public static async Task DeleteAsync(BackupRepository repository, string name, CancellationToken cancellationToken)
    {
        await ReadAsync(repository, name, RestoreRecordJson.RecordFile, cancellationToken).ConfigureAwait(false);
        await repository.DeleteRestoreFilesAsync(name, [RestoreRecordJson.RecordFile], cancellationToken).ConfigureAwait(false);
        await repository.DeleteRestoreFilesAsync(name, [RestoreRecordJson.ItemsFile, RestoreRecordJson.LogFile], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAsync(BackupRepository repository, string name, string file, CancellationToken cancellationToken)
    {
        RepositoryLayout.ValidateName(name);
        return await repository.GetRestoreFileAsync(name, file, cancellationToken).ConfigureAwait(false)
            ?? throw new KbException(ErrorIds.RestoreNotFound, KbErrorCategory.ObjectNotFound, name, $"Restore '{name}' was not found in {repository.Store.Description}.");
    }
}
