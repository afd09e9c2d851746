namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>A manifest parses as YAML but a field has the wrong shape or value (InvalidArgument).</summary>
    public const string SpecInvalid = nameof(SpecInvalid);

    /// <summary>The manifest text is not YAML (InvalidArgument); the message carries line and column.</summary>
    public const string SpecYamlInvalid = nameof(SpecYamlInvalid);

    /// <summary>A manifest path names no file (ObjectNotFound).</summary>
    public const string SpecFileNotFound = nameof(SpecFileNotFound);

    /// <summary>A manifest file exists but cannot be read (ReadError): permissions, a lock.</summary>
    public const string SpecFileUnreadable = nameof(SpecFileUnreadable);
}
