namespace KubeBackup.Core.Repository;

/// <summary>One item of a backup and where its bytes are: the blobs, in order, whose plaintexts concatenate to it.</summary>
public sealed record ManifestEntry(ItemKey Key, ManifestEntryKind Kind, long Size, IReadOnlyList<BlobRef> Blobs);

public enum ManifestEntryKind
{
    /// <summary>An object's JSON, added with AddItemAsync.</summary>
    Item,

    /// <summary>Data of unknown length (a dump, volume data) added with AddStreamAsync, read back with OpenStreamAsync.</summary>
    Stream,
}

/// <summary>A blob and its place: the pack and the byte range of its stored form.</summary>
public sealed record BlobRef(BlobId Id, string PackId, long Offset, int Length);
