using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.S3;

/// <summary>
/// What an S3 failure means for the caller: a stable error id, a message naming the location (never a key or a
/// secret), and whether trying again can help.
/// </summary>
internal sealed class S3Errors(S3StoreSettings settings, string description)
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
        "AllAccessDisabled", "AccountProblem", "InvalidSecurity", "MissingSecurityHeader", "RequestTimeTooSkewed",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError", "ServiceUnavailable", "RequestLimitExceeded",
    };

    public static bool IsTransient(Exception e, CancellationToken cancellationToken)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AmazonServiceException service when service.StatusCode is HttpStatusCode.TooManyRequests || (int)service.StatusCode >= 500
                    || (service.ErrorCode is { } code && TransientCodes.Contains(code)):
                    return true;
                case AmazonServiceException service when service.StatusCode != 0:
                    return false;
                case HttpRequestException or SocketException or IOException or TimeoutException:
                    return true;
                case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                    return true;
            }
        }
        return false;
    }

    public KbException Map(Exception e, string? key, string operation)
    {
        var target = (object?)key ?? description;
        var what = key is null ? description : $"'{key}' in {description}";
        if (Find<AmazonServiceException>(e) is { StatusCode: not 0 } service)
        {
            var code = service.ErrorCode ?? string.Empty;
            if (code == "NoSuchBucket")
            {
                return new(ErrorIds.StorageBucketNotFound, KbErrorCategory.ObjectNotFound, settings.Bucket,
                    $"The bucket '{settings.Bucket}' of {description} does not exist at {settings.Endpoint}. Create it, or fix the bucket name or region.", e);
            }
            if (code is "NoSuchKey" or "NotFound" || (service.StatusCode == HttpStatusCode.NotFound && key is not null && code != "NoSuchUpload"))
            {
                return new(ErrorIds.ObjectNotFound, KbErrorCategory.ObjectNotFound, target, $"'{key}' does not exist in {description}.", e);
            }
            if (code == "InvalidRange" || service.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                return new(ErrorIds.ObjectTruncated, KbErrorCategory.InvalidData, target, $"{what} is shorter than the range asked for.", e);
            }
            if (AccessCodes.Contains(code) || service.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                // The code is enough; server messages can quote the access key id.
                return new(ErrorIds.StorageAccessDenied, KbErrorCategory.PermissionDenied, target,
                    $"Access denied to {operation} {what} ({(code.Length > 0 ? code : (int)service.StatusCode)}). Check the credentials ({CredentialSource}) and their permissions on the bucket.", e);
            }
            return new(ErrorIds.StorageLocationUnavailable, Category(operation), target,
                $"Could not {operation} {what}: {settings.Endpoint} answered {(int)service.StatusCode} {code}: {Scrub(service.Message)}", e);
        }
        if (Find<AmazonClientException>(e) is { } client && client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase))
        {
            return new(ErrorIds.StorageCredentialsNotFound, KbErrorCategory.AuthenticationError, target,
                $"No credentials for {description}: {Scrub(client.Message)} Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, a web identity (IRSA), or a credentials file on the location.", e);
        }
        var reason = e is OperationCanceledException ? "the request timed out" : Scrub(Innermost(e).Message);
        return new(ErrorIds.StorageLocationUnavailable, KbErrorCategory.ConnectionError, target,
            $"Could not {operation} {what}: {settings.Endpoint} is unreachable ({reason}) after {settings.Retry.MaxAttempts} attempts.", e);
    }

    private string CredentialSource => settings.Credentials?.Source ?? "the AWS default credential chain";

    private string Scrub(string message) => settings.Credentials?.Scrub(message) ?? message;

    private static KbErrorCategory Category(string operation) => operation switch
    {
        "write" or "delete" => KbErrorCategory.WriteError,
        "read" => KbErrorCategory.ReadError,
        _ => KbErrorCategory.ResourceUnavailable,
    };

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }
}
