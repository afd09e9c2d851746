namespace KubeBackup.Module.Tests.Help;

/// <summary>A throw-away docs folder and output folder for one HelpBuilder run.</summary>
internal sealed class TempDocs : IDisposable
{
    public TempDocs()
    {
        Root = Path.Combine(Path.GetTempPath(), "kb-help-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Docs);
    }

    public string Root { get; }

    public string Docs => Path.Combine(Root, "docs");

    public string Output => Path.Combine(Root, "out");

    public string Write(string fileName, string markdown)
    {
        var path = Path.Combine(Docs, fileName);
        File.WriteAllText(path, markdown);
        return path;
    }

    public HelpBuilderProcess Build(string moduleAssembly = "Sample.dll") =>
        HelpBuilderProcess.Run(Docs, Output, moduleAssembly);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
