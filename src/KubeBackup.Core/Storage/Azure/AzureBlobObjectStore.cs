using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using global::Azure;
using global::Azure.Storage;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.Azure;

/// <summary>
/// Blobs in an Azure Storage container under a prefix. Uploads are read in parts of
/// <see cref="AzureBlobStoreSettings.PartSize"/> (two part buffers at most): one part goes up as one Put Blob,
/// more as staged blocks committed at the end, so a failed upload leaves only uncommitted blocks, which are never
/// visible and which the service discards. Every request carries the MD5 of its body (the service refuses a
/// mismatch) and the whole blob's MD5 is stored as its Content-MD5. Retries (exponential, with jitter) are the
/// Azure SDK's, configured from <see cref="RetryPolicy"/>.
/// </summary>
public sealed class AzureBlobObjectStore : IObjectStore
{
    private const int DeleteParallelism = 16;
    private readonly BlobContainerClient _container;
    private readonly AzureBlobStoreSettings _settings;
    private readonly string _root;
    private readonly AzureErrors _errors;

    public AzureBlobObjectStore(BlobContainerClient container, AzureBlobStoreSettings settings)
        : this(container, settings, message => message)
    {
    }

    internal AzureBlobObjectStore(BlobContainerClient container, AzureBlobStoreSettings settings, Func<string, string> scrub)
    {
        _container = container;
        _settings = settings;
        var prefix = ObjectKeys.ValidatePrefix(settings.Prefix.Trim('/'));
        _root = prefix.Length == 0 ? string.Empty : prefix + "/";
        Description = prefix.Length == 0 ? $"azblob://{settings.Account}/{settings.Container}" : $"azblob://{settings.Account}/{settings.Container}/{prefix}";
        _errors = new AzureErrors(settings, Description, scrub);
    }

    public string Description { get; }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlockBlobClient(FullKey(key));
        var size = _settings.PartSize;
        var current = ArrayPool<byte>.Shared.Rent(size);
        byte[]? next = null;
        try
        {
            var currentLength = await StreamParts.FillAsync(content, current.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            var nextLength = 0;
            if (currentLength == size)
            {
                next = ArrayPool<byte>.Shared.Rent(size);
                nextLength = await StreamParts.FillAsync(content, next.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            }
            if (nextLength == 0)
            {
                await PutSingleAsync(key, blob, current, currentLength, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PutBlocksAsync(key, blob, content, current, currentLength, next!, nextLength, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            if (next is not null)
            {
                ArrayPool<byte>.Shared.Return(next);
            }
        }
    }

    private async Task PutSingleAsync(string key, BlockBlobClient blob, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var md5 = MD5.HashData(buffer.AsSpan(0, length));
        var stored = await SendAsync(key, "write", () => blob.UploadAsync(new MemoryStream(buffer, 0, length, writable: false), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentHash = md5 },
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = md5 },
        }, cancellationToken)).ConfigureAwait(false);
        if (stored.Value.ContentHash is { Length: > 0 } hash && !hash.AsSpan().SequenceEqual(md5))
        {
            throw IntegrityFailure(key);
        }
    }

    private async Task PutBlocksAsync(string key, BlockBlobClient blob, Stream content, byte[] current, int currentLength, byte[] next, int nextLength, CancellationToken cancellationToken)
    {
        var blocks = new List<string>();
        // The whole blob's MD5, stored as its Content-MD5 for later verification by any tool.
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var upload = Guid.NewGuid().ToString("N")[..8];
        for (var number = 0; ; number++)
        {
            var md5 = MD5.HashData(current.AsSpan(0, currentLength));
            whole.AppendData(current, 0, currentLength);
            // Block ids are base64 of equal-length strings, unique per upload so concurrent writers do not mix blocks.
            var id = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{upload}-{number:D6}"));
            var (buffer, length) = (current, currentLength);
            await SendAsync(key, "write", () => blob.StageBlockAsync(id, new MemoryStream(buffer, 0, length, writable: false), new BlockBlobStageBlockOptions
            {
                TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = md5 },
            }, cancellationToken)).ConfigureAwait(false);
            blocks.Add(id);
            if (nextLength == 0)
            {
                break;
            }
            (current, next) = (next, current);
            var lastWasFull = nextLength == _settings.PartSize;
            currentLength = nextLength;
            nextLength = lastWasFull ? await StreamParts.FillAsync(content, next.AsMemory(0, _settings.PartSize), cancellationToken).ConfigureAwait(false) : 0;
        }
        var hash = whole.GetHashAndReset();
        await SendAsync(key, "write", () => blob.CommitBlockListAsync(blocks, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentHash = hash },
        }, cancellationToken)).ConfigureAwait(false);
    }

    private KbException IntegrityFailure(string key) =>
        new(ErrorIds.StorageIntegrityCheckFailed, KbErrorCategory.InvalidData, key,
            $"'{key}' in {Description} was not stored as sent: {_settings.Endpoint} reports a different MD5 than the bytes uploaded.");

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(FullKey(key));
        var response = await SendAsync(key, "read", () => blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new OwnedStream(response.Value.Content, response.Value);
    }

    public async Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(FullKey(key));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var response = await SendAsync(key, "read", () => blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, length) }, cancellationToken)).ConfigureAwait(false);
        using var result = response.Value;
        var buffer = new byte[length];
        int read;
        try
        {
            read = await StreamParts.FillAsync(result.Content, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw _errors.Map(e, key, "read");
        }
        if (read < length)
        {
            throw new KbException(ErrorIds.ObjectTruncated, KbErrorCategory.InvalidData, key,
                $"'{key}' in {Description} ends at byte {offset + read}, before the {length} bytes asked for at offset {offset}.");
        }
        return buffer;
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(FullKey(key));
        try
        {
            var properties = await SendAsync(key, "read", () => blob.GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new ObjectInfo(key, properties.Value.ContentLength, properties.Value.LastModified);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidatePrefix(prefix);
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _root + prefix }, cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var more = await SendAsync(null, "list", () => enumerator.MoveNextAsync().AsTask()).ConfigureAwait(false);
            if (!more)
            {
                yield break;
            }
            foreach (var item in enumerator.Current.Values)
            {
                yield return new ObjectInfo(item.Name[_root.Length..], item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
            }
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var blobs = keys.Select(k => (Key: k, Name: FullKey(k))).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken }, async (blob, c) =>
            await SendAsync(blob.Key, "delete", () => _container.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: c)).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string FullKey(string key) => _root + ObjectKeys.Validate(key);

    private async Task<T> SendAsync<T>(string? key, string operation, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not KbException && e is not OperationCanceledException { CancellationToken.IsCancellationRequested: true } && AzureErrors.IsHandled(e))
        {
            throw _errors.Map(e, key, operation);
        }
    }
}
