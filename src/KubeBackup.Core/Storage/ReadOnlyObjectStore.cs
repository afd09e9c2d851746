using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage;

/// <summary>
/// A read-only storage location (a DR site reading the primary's backups, an archive): every read passes
/// through, every write and delete is refused with StorageLocationReadOnly before it reaches the service.
/// </summary>
public sealed class ReadOnlyObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly string _locationName;

    public ReadOnlyObjectStore(IObjectStore inner, string locationName)
    {
        _inner = inner;
        _locationName = locationName;
    }

    public string Description => _inner.Description;

    /// <summary>The store for a location: read-only when the location says so.</summary>
    public static IObjectStore Open(StorageLocation location)
    {
        var store = ObjectStoreFactory.Create(location);
        return location.ReadOnly ? new ReadOnlyObjectStore(store, location.Name) : store;
    }

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) => throw Refused(key, "write");

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        throw Refused(keys.FirstOrDefault() ?? string.Empty, "delete");

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => _inner.OpenReadAsync(key, cancellationToken);

    public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken) =>
        _inner.ReadRangeAsync(key, offset, length, cancellationToken);

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) => _inner.StatAsync(key, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => _inner.ListAsync(prefix, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private KbException Refused(string key, string operation) =>
        new(ErrorIds.StorageLocationReadOnly, KbErrorCategory.PermissionDenied, _locationName,
            $"Storage location '{_locationName}' is read-only: KubeBackup does not {operation} '{key}' there. Make it writable with Set-KbStorageLocation -ReadOnly:$false.");
}
