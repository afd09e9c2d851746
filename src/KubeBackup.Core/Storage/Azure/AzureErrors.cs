using System.Net.Sockets;
using global::Azure;
using global::Azure.Identity;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.Azure;

/// <summary>What an Azure Blob failure means for the caller; messages name the location, never a key or a token.</summary>
internal sealed class AzureErrors(AzureBlobStoreSettings settings, string description, Func<string, string> scrub)
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AuthenticationFailed", "AuthorizationFailure", "AuthorizationPermissionMismatch", "AuthorizationSourceIPMismatch",
        "AuthorizationProtocolMismatch", "AuthorizationResourceTypeMismatch", "AuthorizationServiceMismatch", "InsufficientAccountPermissions",
        "InvalidAuthenticationInfo", "NoAuthenticationInformation", "AccountIsDisabled",
    };

    public static bool IsHandled(Exception e) =>
        e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or AggregateException
            or HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException;

    public KbException Map(Exception e, string? key, string operation)
    {
        var target = (object?)key ?? description;
        var what = key is null ? description : $"'{key}' in {description}";
        if (Find<AuthenticationFailedException>(e) is not null || Find<CredentialUnavailableException>(e) is not null)
        {
            return new(ErrorIds.StorageAccessDenied, KbErrorCategory.AuthenticationError, target,
                $"Could not sign in to {description} with {settings.CredentialSource}: {scrub(Innermost(e).Message)}", e);
        }
        if (Find<RequestFailedException>(e) is { Status: not 0 } failed)
        {
            var code = failed.ErrorCode ?? string.Empty;
            if (code == "ContainerNotFound")
            {
                return new(ErrorIds.StorageBucketNotFound, KbErrorCategory.ObjectNotFound, settings.Container,
                    $"The container '{settings.Container}' of {description} does not exist in account '{settings.Account}'. Create it, or fix the container name.", e);
            }
            if (code == "BlobNotFound" || (failed.Status == 404 && key is not null))
            {
                return new(ErrorIds.ObjectNotFound, KbErrorCategory.ObjectNotFound, target, $"'{key}' does not exist in {description}.", e);
            }
            if (code == "InvalidRange" || failed.Status == 416)
            {
                return new(ErrorIds.ObjectTruncated, KbErrorCategory.InvalidData, target, $"{what} is shorter than the range asked for.", e);
            }
            if (AccessCodes.Contains(code) || failed.Status is 401 or 403)
            {
                return new(ErrorIds.StorageAccessDenied, KbErrorCategory.PermissionDenied, target,
                    $"Access denied to {operation} {what} ({(code.Length > 0 ? code : failed.Status)}). Check the credentials ({settings.CredentialSource}) and their role on the container.", e);
            }
            if (code == "Md5Mismatch")
            {
                return new(ErrorIds.StorageIntegrityCheckFailed, KbErrorCategory.InvalidData, target, $"{what} was refused by {settings.Endpoint}: the bytes it received do not match their MD5.", e);
            }
            return new(ErrorIds.StorageLocationUnavailable, operation == "read" ? KbErrorCategory.ReadError : KbErrorCategory.WriteError, target,
                $"Could not {operation} {what}: {settings.Endpoint} answered {failed.Status} {code}.", e);
        }
        var reason = e is OperationCanceledException ? "the request timed out" : scrub(Innermost(e).Message);
        return new(ErrorIds.StorageLocationUnavailable, KbErrorCategory.ConnectionError, target,
            $"Could not {operation} {what}: {settings.Endpoint} is unreachable ({reason}) after {settings.Attempts} attempts.", e);
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        if (e is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.Select(Find<T>).LastOrDefault(x => x is not null);
        }
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
        if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            return Innermost(aggregate.InnerExceptions[^1]);
        }
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }
}
