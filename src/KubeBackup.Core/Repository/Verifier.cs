using System.Security.Cryptography;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Reads every blob the chosen backups reference, pack by pack, and checks each one's tag and hash. A blob shared by
/// several backups is read once and its damage reported for every item and backup that uses it.
/// </summary>
internal sealed class Verifier(BackupRepository repository)
{
    private const int ActivityId = 4100;
    private const string Activity = "Verifying backups";

    public async Task<VerifyResult> RunAsync(IReadOnlyCollection<string>? backupNames, CancellationToken cancellationToken)
    {
        var sink = repository.Options.Sink;
        var names = backupNames?.ToList() ?? (await repository.ListBackupsAsync(cancellationToken).ConfigureAwait(false)).Select(b => b.Name).ToList();
        var damaged = new List<DamagedItem>();
        var users = new Dictionary<BlobId, (BlobRef Blob, List<(string Backup, ItemKey Item)> Users)>();
        long blobsChecked = 0;
        long bytesChecked = 0;

        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            sink.Progress(new OperationProgress(ActivityId, Activity, $"Reading the manifest of '{name}'", i * 10 / Math.Max(1, names.Count)));
            ManifestHeader header;
            try
            {
                var info = await repository.GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
                header = await repository.ReadManifestHeaderAsync(info, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e) when (e.ErrorId is not ErrorIds.BackupNotFound)
            {
                damaged.Add(new DamagedItem(name, null, null, null, e.Message));
                continue;
            }
            foreach (var (chunk, count) in header.Chunks)
            {
                List<ManifestEntry> entries;
                try
                {
                    entries = await BackupReader.ReadChunkAsync(repository, name, chunk, cancellationToken).ConfigureAwait(false);
                    blobsChecked++;
                    bytesChecked += chunk.Length;
                }
                catch (KbException e) when (e.ErrorId is ErrorIds.BlobCorrupted or ErrorIds.PackMissing or ErrorIds.ManifestCorrupted)
                {
                    damaged.Add(new DamagedItem(name, null, chunk.Id, chunk.PackId, $"{count} entries of the manifest cannot be read: {e.Message}"));
                    continue;
                }
                foreach (var entry in entries)
                {
                    foreach (var blob in entry.Blobs)
                    {
                        if (!users.TryGetValue(blob.Id, out var use))
                        {
                            users[blob.Id] = use = (blob, []);
                        }
                        use.Users.Add((name, entry.Key));
                    }
                }
            }
        }

        var packs = users.Values.GroupBy(u => u.Blob.PackId).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        for (var p = 0; p < packs.Count; p++)
        {
            var pack = packs[p];
            sink.Progress(new OperationProgress(ActivityId, Activity, $"Checking pack {p + 1} of {packs.Count}", 10 + p * 90 / Math.Max(1, packs.Count)));
            byte[]? bytes = null;
            string? packProblem = null;
            try
            {
                bytes = await RepositoryIndex.ReadAllBytesAsync(repository.Store, RepositoryLayout.Pack(pack.Key), cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
            {
                packProblem = "the pack is missing";
            }
            var anyDamaged = false;
            foreach (var (blob, blobUsers) in pack)
            {
                blobsChecked++;
                var reason = packProblem ?? Check(bytes!, blob);
                if (reason is null)
                {
                    bytesChecked += blob.Length;
                    continue;
                }
                anyDamaged = true;
                damaged.AddRange(blobUsers.Select(u => new DamagedItem(u.Backup, u.Item, blob.Id, blob.PackId, reason)));
            }
            if (bytes is not null && !anyDamaged && Hex.Lower(SHA256.HashData(bytes)) != pack.Key)
            {
                sink.Warning($"Pack {pack.Key} does not match its id, but every blob the backups use in it is intact (damage outside them, e.g. in the pack header).");
            }
        }
        sink.Progress(OperationProgress.Done(ActivityId, Activity));
        var affected = damaged.Select(d => d.Backup).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var item in damaged)
        {
            sink.Warning($"Backup '{item.Backup}': {(item.Item is null ? "manifest" : "item " + item.Item)} is damaged: {item.Reason}");
        }
        return new VerifyResult(names, blobsChecked, bytesChecked, damaged, affected);
    }

    private string? Check(byte[] pack, BlobRef blob)
    {
        if (blob.Offset + blob.Length > pack.Length)
        {
            return "the pack ends before the blob (truncated)";
        }
        try
        {
            repository.Codec.Decode(blob.Id, pack.AsSpan((int)blob.Offset, blob.Length));
            return null;
        }
        catch (BlobDamagedException e)
        {
            return e.Reason;
        }
    }
}

/// <summary>The outcome of a verify: what was checked, each damaged item, and the backups they belong to.</summary>
public sealed record VerifyResult(IReadOnlyList<string> Backups, long BlobsChecked, long BytesChecked, IReadOnlyList<DamagedItem> Damaged, IReadOnlyList<string> AffectedBackups)
{
    public bool IsHealthy => Damaged.Count == 0;
}

/// <summary>
/// One damaged item of one backup: the blob and pack at fault and why. <see cref="Item"/> is null when the damage is in
/// the backup's manifest (then the items it lists cannot be named).
/// </summary>
public sealed record DamagedItem(string Backup, ItemKey? Item, BlobId? BlobId, string? PackId, string Reason);
