using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>Reads one blob by its reference and turns every way it can fail into an error naming the item and the pack.</summary>
internal static class BlobFetcher
{
    public static async Task<byte[]> ReadAsync(BackupRepository repository, BlobRef blob, string what, CancellationToken cancellationToken)
    {
        var key = RepositoryLayout.Pack(blob.PackId);
        byte[] stored;
        try
        {
            stored = await repository.Store.ReadRangeAsync(key, blob.Offset, blob.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            throw new KbException(ErrorIds.PackMissing, KbErrorCategory.ObjectNotFound, what,
                $"{what}: pack {blob.PackId} holding blob {blob.Id} is missing from {repository.Store.Description}.", e);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectTruncated)
        {
            throw Corrupted(repository, blob, what, "the pack ends before the blob (truncated)", e);
        }
        if (stored.Length != blob.Length)
        {
            throw Corrupted(repository, blob, what, "the pack ends before the blob (truncated)", null);
        }
        try
        {
            return repository.Codec.Decode(blob.Id, stored);
        }
        catch (BlobDamagedException e)
        {
            throw Corrupted(repository, blob, what, e.Reason, e);
        }
    }

    internal static KbException Corrupted(BackupRepository repository, BlobRef blob, string what, string reason, Exception? inner) =>
        new(ErrorIds.BlobCorrupted, KbErrorCategory.InvalidData, what,
            $"{what}: blob {blob.Id} in pack {blob.PackId} of {repository.Store.Description} is damaged: {reason}.", inner);
}
