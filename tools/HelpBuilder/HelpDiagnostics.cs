namespace KubeBackup.HelpBuilder;

/// <summary>
/// Collects every problem found in the pages so one build reports them all,
/// each in MSBuild's canonical error format so the IDE and the build log point at the line.
/// </summary>
internal sealed class HelpDiagnostics
{
    public const string Code = "HELP001";

    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Error(string file, int line, string message) =>
        _errors.Add($"{Path.GetFullPath(file)}({Math.Max(line, 1)}): error {Code}: {message}");
}
