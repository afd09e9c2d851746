namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string LabelSelectorInvalid = nameof(LabelSelectorInvalid);
}
