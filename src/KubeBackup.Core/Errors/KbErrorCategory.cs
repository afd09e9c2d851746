namespace KubeBackup.Core.Errors;

/// <summary>
/// The category of a failure, named as PowerShell's ErrorCategory values so the module maps them by name.
/// Core has no PowerShell types; this keeps the mapping one line.
/// </summary>
public enum KbErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidResult,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    ConnectionError,
    PermissionDenied,
    AuthenticationError,
    OperationTimeout,
    OperationStopped,
    ReadError,
    WriteError,
    NotImplemented,
}
