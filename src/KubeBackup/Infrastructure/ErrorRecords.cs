using System.Management.Automation;
using KubeBackup.Core.Errors;

namespace KubeBackup.Infrastructure;

/// <summary>Turns Core's failures into PowerShell ErrorRecords with the same stable id and category.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(KbException exception)
    {
        var category = Enum.TryParse<ErrorCategory>(exception.Category.ToString(), out var parsed) ? parsed : ErrorCategory.NotSpecified;
        // The inner exception stays reachable for debugging; the record shows only our message.
        return new ErrorRecord(new KbCmdletException(exception), exception.ErrorId, category, exception.Target);
    }
}

/// <summary>
/// The exception an ErrorRecord carries: Core's message without Core's type, so nothing outside
/// the module's load context has to resolve a third-party or Core exception type to display it.
/// </summary>
public sealed class KbCmdletException : Exception
{
    internal KbCmdletException(KbException inner) : base(inner.Message, inner)
    {
        ErrorId = inner.ErrorId;
    }

    public string ErrorId { get; }
}
