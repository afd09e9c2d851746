using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore.Transforms;

namespace KubeBackup.Core.Snapshots;

/// <summary>What removing one snapshot did.</summary>
public sealed record SnapshotRemoval
{
    public required VolumeSnapshotInfo Snapshot { get; init; }

    /// <summary>False when the snapshot was gone already when the delete was sent.</summary>
    public bool Deleted { get; init; }

    /// <summary>The VolumeSnapshotContent a KubeBackup backup had retained and that now goes with the snapshot; null when none.</summary>
    public string? ReleasedContent { get; init; }
}

/// <summary>
/// Deletes VolumeSnapshots, and with them the contents KubeBackup backups retained: a content whose deletion policy is
/// Retain and that carries <see cref="SnapshotLabels.RetainedByAnnotation"/> is switched to Delete first. Contents
/// retained by anyone else are left alone.
/// </summary>
public sealed class SnapshotRemover(VolumeSnapshotClient client)
{
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotNotFound"/> when the snapshot does not exist;
    /// <see cref="ErrorIds.SnapshotDeleteFailed"/> when the API server refuses a read, patch or delete.</exception>
    public async Task<SnapshotRemoval> RemoveAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await RemoveAsync(await GetAsync(@namespace, name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The snapshot about to be removed, so a caller can ask for confirmation with what it is.</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotNotFound"/> when it does not exist;
    /// <see cref="ErrorIds.SnapshotDeleteFailed"/> when the API server refuses the read.</exception>
    public async Task<VolumeSnapshotInfo> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetSnapshotAsync(@namespace, name, cancellationToken).ConfigureAwait(false)
                ?? throw new KbException(ErrorIds.SnapshotNotFound, KbErrorCategory.ObjectNotFound, $"{@namespace}/{name}",
                    $"VolumeSnapshot '{name}' does not exist in namespace '{@namespace}'.");
        }
        catch (ApiResponseError e)
        {
            throw Failed(@namespace, name, e);
        }
    }

    /// <summary>Removes a snapshot as it was listed (its bound content is read again, since a backup may have retained it since).</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotDeleteFailed"/> when the API server refuses a read, patch or delete.</exception>
    public async Task<SnapshotRemoval> RemoveAsync(VolumeSnapshotInfo snapshot, CancellationToken cancellationToken)
    {
        try
        {
            string? released = null;
            if (snapshot.ContentName is { } contentName
                && await client.GetContentAsync(contentName, cancellationToken).ConfigureAwait(false) is { } content
                && Json.String(content["spec"]?["deletionPolicy"]) == "Retain"
                && Json.String(content["metadata"]?["annotations"]?[SnapshotLabels.RetainedByAnnotation]) is not null)
            {
                // Switch the policy before deleting the snapshot: the snapshot controller then deletes the content AND the
                // storage system's snapshot, as for any Delete-policy snapshot. Deleting a Retain content directly would
                // remove only the API object and leak the snapshot on the storage system, which is what retention is for.
                await client.PatchContentAsync(contentName, new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Delete" } }, cancellationToken).ConfigureAwait(false);
                released = contentName;
            }
            var deleted = await client.DeleteSnapshotAsync(snapshot.Namespace, snapshot.Name, cancellationToken).ConfigureAwait(false);
            return new SnapshotRemoval { Snapshot = snapshot, Deleted = deleted, ReleasedContent = released };
        }
        catch (ApiResponseError e)
        {
            throw Failed(snapshot.Namespace, snapshot.Name, e);
        }
    }

    private static KbException Failed(string ns, string name, ApiResponseError e) =>
        new(ErrorIds.SnapshotDeleteFailed, KbErrorCategory.WriteError, $"{ns}/{name}",
            $"Deleting VolumeSnapshot {ns}/{name} failed: {RetryingApi.Describe(e)}.", e);
}
