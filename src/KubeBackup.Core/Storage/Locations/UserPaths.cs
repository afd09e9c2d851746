namespace KubeBackup.Core.Storage.Locations;

/// <summary>
/// Where KubeBackup keeps the user's files: the config folder (saved locations) and the data folder (the
/// embedded default repository). XDG on Linux and macOS, %APPDATA%/%LOCALAPPDATA% on Windows.
/// KUBEBACKUP_CONFIG_DIR and KUBEBACKUP_DATA_DIR override both (CronJobs, containers, tests).
/// </summary>
public sealed record UserPaths(string ConfigDirectory, string DataDirectory)
{
    public string LocationsFile => Path.Combine(ConfigDirectory, "locations.json");

    public string EmbeddedRepositoryDirectory => Path.Combine(DataDirectory, "repository");

    public static UserPaths FromEnvironment()
    {
        var config = Environment.GetEnvironmentVariable("KUBEBACKUP_CONFIG_DIR");
        var data = Environment.GetEnvironmentVariable("KUBEBACKUP_DATA_DIR");
        if (OperatingSystem.IsWindows())
        {
            config ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "KubeBackup");
            data ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "KubeBackup");
        }
        else
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            config ??= Path.Combine(NonEmpty("XDG_CONFIG_HOME") ?? Path.Combine(home, ".config"), "kubebackup");
            data ??= Path.Combine(NonEmpty("XDG_DATA_HOME") ?? Path.Combine(home, ".local", "share"), "kubebackup");
        }
        return new UserPaths(config, data);
    }

    private static string? NonEmpty(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
