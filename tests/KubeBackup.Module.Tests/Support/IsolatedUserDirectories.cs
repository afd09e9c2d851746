namespace KubeBackup.Module.Tests.Support;

/// <summary>
/// Points KUBEBACKUP_CONFIG_DIR and KUBEBACKUP_DATA_DIR at fresh temp folders for one test, so saved
/// locations and the embedded default never touch the real user's files. Process-wide: the module tests run one at a time.
/// </summary>
public sealed class IsolatedUserDirectories : IDisposable
{
    private readonly string? _savedConfig = Environment.GetEnvironmentVariable("KUBEBACKUP_CONFIG_DIR");
    private readonly string? _savedData = Environment.GetEnvironmentVariable("KUBEBACKUP_DATA_DIR");

    public IsolatedUserDirectories()
    {
        Root = Directory.CreateTempSubdirectory("kb-user-").FullName;
        Environment.SetEnvironmentVariable("KUBEBACKUP_CONFIG_DIR", ConfigDirectory);
        Environment.SetEnvironmentVariable("KUBEBACKUP_DATA_DIR", DataDirectory);
    }

    public string Root { get; }

    public string ConfigDirectory => Path.Combine(Root, "config");

    public string DataDirectory => Path.Combine(Root, "data");

    public string LocationsFile => Path.Combine(ConfigDirectory, "locations.json");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("KUBEBACKUP_CONFIG_DIR", _savedConfig);
        Environment.SetEnvironmentVariable("KUBEBACKUP_DATA_DIR", _savedData);
        Directory.Delete(Root, recursive: true);
    }
}
