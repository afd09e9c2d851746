using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.S3;

/// <summary>
/// Objects in an S3 bucket under a prefix: Amazon S3 (<see cref="S3Mode.Aws"/>) or any S3-compatible service
/// (<see cref="S3Mode.Compatible"/>: OSS, MinIO, Ceph, s3rver). Uploads are read in parts of
/// <see cref="S3StoreSettings.PartSize"/> (two part buffers at most): one part goes up as one PutObject, more as a
/// multipart upload that is aborted on any failure, so no half object ever becomes visible. Integrity is ours:
/// every body is MD5-hashed as it is sent, in compatible mode the hash travels as Content-MD5 (the server refuses a
/// body that does not match), and the ETag the server answers is compared with it whenever the ETag is an MD5
/// (single PUT, or md5-of-part-md5s "-N" for multipart; SSE-KMS/SSE-C ETags are not MD5s and are not compared).
/// Every request goes through <see cref="RetryPolicy"/>; the SDK's own retries are off.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private const int DeleteBatch = 1000;
    private readonly IAmazonS3 _client;
    private readonly S3StoreSettings _settings;
    private readonly IDisposable? _owned;
    private readonly string _root;
    private readonly S3Errors _errors;

    public S3ObjectStore(IAmazonS3 client, S3StoreSettings settings)
        : this(client, settings, null)
    {
    }

    internal S3ObjectStore(IAmazonS3 client, S3StoreSettings settings, IDisposable? owned)
    {
        _client = client;
        _settings = settings;
        _owned = owned;
        var prefix = ObjectKeys.ValidatePrefix(settings.Prefix.Trim('/'));
        _root = prefix.Length == 0 ? string.Empty : prefix + "/";
        Description = prefix.Length == 0 ? $"{settings.Scheme}://{settings.Bucket}" : $"{settings.Scheme}://{settings.Bucket}/{prefix}";
        _errors = new S3Errors(settings, Description);
    }

    public string Description { get; }

    public S3Mode Mode => _settings.Mode;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var objectKey = FullKey(key);
        var size = _settings.PartSize;
        var current = ArrayPool<byte>.Shared.Rent(size);
        byte[]? next = null;
        try
        {
            var currentLength = await StreamParts.FillAsync(content, current.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            if (currentLength < size)
            {
                await PutSingleAsync(key, objectKey, current, currentLength, cancellationToken).ConfigureAwait(false);
                return;
            }
            next = ArrayPool<byte>.Shared.Rent(size);
            var nextLength = await StreamParts.FillAsync(content, next.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            if (nextLength == 0)
            {
                await PutSingleAsync(key, objectKey, current, currentLength, cancellationToken).ConfigureAwait(false);
                return;
            }
            await PutMultipartAsync(key, objectKey, content, current, currentLength, next, nextLength, cancellationToken).ConfigureAwait(false);
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

    private async Task PutSingleAsync(string key, string objectKey, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var md5 = MD5.HashData(buffer.AsSpan(0, length));
        var response = await SendAsync(key, "write", c => _client.PutObjectAsync(Configure(new PutObjectRequest
        {
            BucketName = _settings.Bucket,
            Key = objectKey,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            AutoCloseStream = true,
        }, md5), c), cancellationToken).ConfigureAwait(false);
        if (!ETagMatches(response.ETag, Convert.ToHexString(md5), response.ServerSideEncryptionMethod, response.ServerSideEncryptionCustomerMethod))
        {
            // What the server holds is not what we sent: remove it rather than leave a damaged object behind.
            await TryDeleteAsync(objectKey).ConfigureAwait(false);
            throw IntegrityFailure(key, response.ETag);
        }
    }

    private PutObjectRequest Configure(PutObjectRequest request, byte[] md5)
    {
        if (_settings.Mode == S3Mode.Compatible)
        {
            request.UseChunkEncoding = false;
            request.MD5Digest = Convert.ToBase64String(md5);
        }
        return request;
    }

    private async Task PutMultipartAsync(string key, string objectKey, Stream content, byte[] current, int currentLength, byte[] next, int nextLength, CancellationToken cancellationToken)
    {
        var started = await SendAsync(key, "write", c => _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _settings.Bucket,
            Key = objectKey,
        }, c), cancellationToken).ConfigureAwait(false);
        var uploadId = started.UploadId;
        try
        {
            var parts = new List<PartETag>();
            var partHashes = new List<byte[]>();
            for (var partNumber = 1; ; partNumber++)
            {
                var md5 = MD5.HashData(current.AsSpan(0, currentLength));
                var etag = await UploadPartAsync(key, objectKey, uploadId, partNumber, current, currentLength, md5, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(partNumber, etag));
                partHashes.Add(md5);
                if (nextLength == 0)
                {
                    break;
                }
                (current, next) = (next, current);
                var lastWasFull = nextLength == _settings.PartSize;
                currentLength = nextLength;
                nextLength = lastWasFull ? await StreamParts.FillAsync(content, next.AsMemory(0, _settings.PartSize), cancellationToken).ConfigureAwait(false) : 0;
            }
            var completed = await SendAsync(key, "write", c => _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _settings.Bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartETags = parts,
            }, c), cancellationToken).ConfigureAwait(false);
            var expected = $"{Convert.ToHexString(MD5.HashData(partHashes.SelectMany(h => h).ToArray()))}-{parts.Count}";
            if (!ETagMatches(completed.ETag, expected, completed.ServerSideEncryptionMethod, null))
            {
                await TryDeleteAsync(objectKey).ConfigureAwait(false);
                throw IntegrityFailure(key, completed.ETag);
            }
        }
        catch
        {
            await AbortAsync(objectKey, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<string> UploadPartAsync(string key, string objectKey, string uploadId, int partNumber, byte[] buffer, int length, byte[] md5, CancellationToken cancellationToken)
    {
        var compatible = _settings.Mode == S3Mode.Compatible;
        var response = await SendAsync(key, "write", c =>
        {
            var request = new UploadPartRequest
            {
                BucketName = _settings.Bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartNumber = partNumber,
                PartSize = length,
                InputStream = new MemoryStream(buffer, 0, length, writable: false),
            };
            if (compatible)
            {
                request.UseChunkEncoding = false;
                request.MD5Digest = Convert.ToBase64String(md5);
            }
            return _client.UploadPartAsync(request, c);
        }, cancellationToken).ConfigureAwait(false);
        if (!ETagMatches(response.ETag, Convert.ToHexString(md5), response.ServerSideEncryptionMethod, null))
        {
            throw IntegrityFailure(key, response.ETag);
        }
        return response.ETag;
    }

    private async Task AbortAsync(string objectKey, string uploadId)
    {
        // Not cancellable: an upload left open keeps its parts (and their cost) until a lifecycle rule removes them.
        try
        {
            await _settings.Retry.ExecuteAsync(c => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = _settings.Bucket,
                Key = objectKey,
                UploadId = uploadId,
            }, c), S3Errors.IsTransient, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException or OperationCanceledException or Amazon.Runtime.AmazonClientException)
        {
        }
    }

    private async Task TryDeleteAsync(string objectKey)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _settings.Bucket, Key = objectKey }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException or OperationCanceledException or Amazon.Runtime.AmazonClientException)
        {
        }
    }

    /// <summary>True unless the ETag is an MD5 (plain or multipart form) that differs from ours.</summary>
    private static bool ETagMatches(string? etag, string expected, ServerSideEncryptionMethod? encryption, ServerSideEncryptionCustomerMethod? customerKey)
    {
        if (string.IsNullOrEmpty(etag) || (encryption is not null && encryption.Value.StartsWith("aws:kms", StringComparison.Ordinal))
            || (customerKey is not null && !string.IsNullOrEmpty(customerKey.Value)))
        {
            return true;
        }
        var value = etag.Trim('"');
        var dash = value.IndexOf('-');
        var hash = dash < 0 ? value : value[..dash];
        var looksLikeMd5 = hash.Length == 32 && hash.All(Uri.IsHexDigit) && (dash < 0 || value[(dash + 1)..].All(char.IsAsciiDigit));
        // Some stores give multipart objects a plain-looking ETag of their own making: only like can be compared.
        var sameForm = (dash < 0) == !expected.Contains('-');
        return !looksLikeMd5 || !sameForm || string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
    }

    private KbException IntegrityFailure(string key, string? etag) =>
        new(ErrorIds.StorageIntegrityCheckFailed, KbErrorCategory.InvalidData, key,
            $"'{key}' in {Description} was not stored as sent: {_settings.Endpoint} answered ETag {etag}, which is not the MD5 of the bytes uploaded. "
            + (_settings.Mode == S3Mode.Aws ? "This endpoint may not understand aws-chunked uploads: use the S3-compatible mode for it." : "The object was not kept."));

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = FullKey(key);
        var response = await SendAsync(key, "read", c => _client.GetObjectAsync(new GetObjectRequest { BucketName = _settings.Bucket, Key = objectKey }, c), cancellationToken).ConfigureAwait(false);
        return new OwnedStream(response.ResponseStream, response);
    }

    public async Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken)
    {
        var objectKey = FullKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return await SendAsync(key, "read", async c =>
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _settings.Bucket,
                Key = objectKey,
                ByteRange = new ByteRange(offset, offset + length - 1),
            }, c).ConfigureAwait(false);
            var body = response.ResponseStream;
            // A server that ignores Range answers 200 with the whole object.
            if (response.HttpStatusCode == System.Net.HttpStatusCode.OK && offset > 0)
            {
                var skip = new byte[81920];
                for (var left = offset; left > 0;)
                {
                    var n = await body.ReadAsync(skip.AsMemory(0, (int)Math.Min(left, skip.Length)), c).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }
                    left -= n;
                }
            }
            var buffer = new byte[length];
            var read = await StreamParts.FillAsync(body, buffer, c).ConfigureAwait(false);
            if (read < length)
            {
                throw new KbException(ErrorIds.ObjectTruncated, KbErrorCategory.InvalidData, key,
                    $"'{key}' in {Description} ends at byte {offset + read}, before the {length} bytes asked for at offset {offset}.");
            }
            return buffer;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = FullKey(key);
        try
        {
            var metadata = await SendAsync(key, "read", c => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _settings.Bucket, Key = objectKey }, c), cancellationToken).ConfigureAwait(false);
            return new ObjectInfo(key, metadata.ContentLength, ToTime(metadata.LastModified));
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidatePrefix(prefix);
        string? token = null;
        do
        {
            var continuation = token;
            var page = await SendAsync(null, "list", c => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _settings.Bucket,
                Prefix = _root + prefix,
                ContinuationToken = continuation,
            }, c), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new ObjectInfo(item.Key[_root.Length..], item.Size ?? 0, ToTime(item.LastModified));
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var objectKeys = keys.Select(k => (Key: k, ObjectKey: FullKey(k))).ToList();
        foreach (var batch in objectKeys.Chunk(DeleteBatch))
        {
            DeleteObjectsResponse response;
            try
            {
                response = await SendAsync(batch[0].Key, "delete", c => _client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = _settings.Bucket,
                    Objects = batch.Select(k => new KeyVersion { Key = k.ObjectKey }).ToList(),
                    Quiet = true,
                }, c), cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e) when (e.InnerException is DeleteObjectsException partial)
            {
                response = partial.Response;
            }
            var failure = response.DeleteErrors?.FirstOrDefault(e => e.Code != "NoSuchKey");
            if (failure is not null)
            {
                var key = failure.Key.StartsWith(_root, StringComparison.Ordinal) ? failure.Key[_root.Length..] : failure.Key;
                throw failure.Code == "AccessDenied"
                    ? new KbException(ErrorIds.StorageAccessDenied, KbErrorCategory.PermissionDenied, key, $"Access denied to delete '{key}' in {Description} (AccessDenied).")
                    : new KbException(ErrorIds.StorageLocationUnavailable, KbErrorCategory.WriteError, key, $"Could not delete '{key}' in {Description}: {failure.Code} {failure.Message}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _owned?.Dispose();
        return ValueTask.CompletedTask;
    }

    private string FullKey(string key) => _root + ObjectKeys.Validate(key);

    private static DateTimeOffset ToTime(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : DateTimeOffset.MinValue;

    private async Task<T> SendAsync<T>(string? key, string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _settings.Retry.ExecuteAsync(action, S3Errors.IsTransient, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not KbException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            && e is Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            throw _errors.Map(e, key, operation);
        }
    }
}
