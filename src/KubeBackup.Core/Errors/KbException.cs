namespace KubeBackup.Core.Errors;

/// <summary>
/// A failure a user can act on: a stable error id (never reworded, scripts match on it), a category,
/// the object it concerns, and a message that says what happened and what to do. Messages never carry
/// credentials or kubeconfig contents.
/// </summary>
public sealed class KbException : Exception
{
    public KbException(string errorId, KbErrorCategory category, object? target, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }

    public KbErrorCategory Category { get; }

    public object? Target { get; }
}
