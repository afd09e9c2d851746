namespace KubeBackup.Core.Storage;

/// <summary>
/// The narrow object store the repository is built on: one implementation per provider (FileSystem, S3 and
/// S3-compatible services, Azure Blob). Keys are relative to the store's root (a directory, or a bucket and
/// prefix), use '/' separators and are checked by <see cref="ObjectKeys.Validate"/>; no key can leave the root.
/// Failures are <see cref="Errors.KbException"/>s with stable ids (ObjectNotFound, StorageLocationUnavailable,
/// StorageAccessDenied, ...). Credentials never appear in <see cref="Description"/> or any message.
/// </summary>
public interface IObjectStore : IAsyncDisposable
{
    /// <summary>Where the store points, for people: <c>file:///backups</c>, <c>s3://bucket/prefix</c>. No secrets.</summary>
    string Description { get; }

    /// <summary>Writes an object of any length, replacing nothing the caller did not mean to: the repository never rewrites a key.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading; throws ObjectNotFound when it does not exist.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> (a blob inside a pack).</summary>
    Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken);

    /// <summary>The object's size and time, or null when it does not exist.</summary>
    Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, at any depth, in key order, paged lazily.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes objects; keys that do not exist are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

/// <summary>One stored object.</summary>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
