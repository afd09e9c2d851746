using System.Security.Cryptography;

namespace KubeBackup.Core.Storage.S3;

/// <summary>
/// Adds Content-MD5 to multi-object delete requests. The S3 API requires it and strict implementations (MinIO,
/// Ceph, ECS, OSS) refuse the request without it, but AWS SDK v4 sends only a CRC32 checksum header and has no
/// request property for it. Content-MD5 is not a signed header, so adding it after signing is allowed.
/// </summary>
internal sealed class ContentMd5Handler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.Content is { } content && content.Headers.ContentMD5 is null && IsMultiObjectDelete(request.RequestUri))
        {
            await content.LoadIntoBufferAsync().ConfigureAwait(false);
            content.Headers.ContentMD5 = MD5.HashData(await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsMultiObjectDelete(Uri? uri) =>
        uri is not null && uri.Query.TrimStart('?').Split('&').Any(p => p == "delete" || p.StartsWith("delete=", StringComparison.Ordinal));
}
