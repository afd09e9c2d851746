using System.Runtime.CompilerServices;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage;

/// <summary>
/// Objects as files under a base directory: the embedded default location, and any mounted share.
/// Writes go to a temporary file in the target folder and are renamed into place, so a reader or a crash
/// never sees half an object. Keys map to relative paths only (see <see cref="ObjectKeys"/>), and every
/// resolved path is checked to stay under the base directory.
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const string TemporarySuffix = ".kbtmp";
    private readonly string _root;

    public FileSystemObjectStore(string rootDirectory)
    {
        _root = Path.GetFullPath(rootDirectory);
        Description = new Uri(Path.TrimEndingDirectorySeparator(_root) + Path.DirectorySeparatorChar).AbsoluteUri;
    }

    public string Description { get; }

    public string RootDirectory => _root;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        var buffer = new byte[81920];
        try
        {
            await using (var file = await CreateAsync(key, path, temporary).ConfigureAwait(false))
            {
                // Copied by hand so that a failing source keeps its own exception and only storage failures are ours.
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await Guard(key, "write", () => file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).AsTask()).ConfigureAwait(false);
                }
                await Guard(key, "write", async () =>
                {
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }).ConfigureAwait(false);
            }
            await Guard(key, "write", () =>
            {
                File.Move(temporary, path, overwrite: true);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private async Task<FileStream> CreateAsync(string key, string path, string temporary)
    {
        FileStream? file = null;
        await Guard(key, "write", () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        return file!;
    }

    private async Task Guard(string key, string operation, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(key, operation, e);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(key, "read", e);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
            var buffer = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), offset + read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new KbException(ErrorIds.ObjectTruncated, KbErrorCategory.InvalidData, key,
                        $"'{key}' in {Description} ends at byte {offset + read}, before the {length} bytes asked for at offset {offset}.");
                }
                read += n;
            }
            return buffer;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(key, "read", e);
        }
    }

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new ObjectInfo(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidatePrefix(prefix);
        // Start at the deepest folder the prefix names, not at the root.
        var folder = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : string.Empty;
        var start = folder.Length == 0 ? _root : PathOf(folder);
        if (!Directory.Exists(start))
        {
            yield break;
        }
        var keys = Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None })
            .Where(p => !p.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = new FileInfo(Path.Combine(_root, key));
            if (file.Exists)
            {
                yield return new ObjectInfo(key, file.Length, file.LastWriteTimeUtc);
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                File.Delete(PathOf(key));
            }
            catch (DirectoryNotFoundException)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure(key, "delete", e);
            }
        }
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, ObjectKeys.Validate(key).Replace('/', Path.DirectorySeparatorChar)));
        // Defence in depth: validation already forbids '..' and rooted keys.
        if (!path.StartsWith(Path.TrimEndingDirectorySeparator(_root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new KbException(ErrorIds.InvalidObjectKey, KbErrorCategory.InvalidArgument, key, $"'{key}' resolves outside {Description}.");
        }
        return path;
    }

    private KbException NotFound(string key) =>
        new(ErrorIds.ObjectNotFound, KbErrorCategory.ObjectNotFound, key, $"'{key}' does not exist in {Description}.");

    private KbException Failure(string key, string operation, Exception e) => e is UnauthorizedAccessException
        ? new(ErrorIds.StorageAccessDenied, KbErrorCategory.PermissionDenied, key, $"Permission denied to {operation} '{key}' in {Description}: {e.Message}", e)
        : new(ErrorIds.StorageLocationUnavailable, operation == "read" ? KbErrorCategory.ReadError : KbErrorCategory.WriteError, key, $"Could not {operation} '{key}' in {Description}: {e.Message}", e);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
