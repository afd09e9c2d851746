using System.Diagnostics;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// Backups through the Core API (<see cref="BackupRunner"/>, the engine of New-KbBackup) into one local FileSystem
/// repository, unencrypted or encrypted with a passphrase. The repository stays open so a second backup is incremental.
/// </summary>
public sealed class CoreBackup : IAsyncDisposable
{
    private const string Passphrase = "correct horse battery staple";

    // The bench opens each repository once; the production 600,000 iterations would add ~0.3 s of PBKDF2 per row
    // that says nothing about backing up (the repository scenario measures it on its own).
    public const int KdfIterations = 1000;

    private readonly FileSystemObjectStore _store;
    private readonly RepositoryKey? _key;
    private readonly BackupRepository _repository;

    private CoreBackup(string directory, FileSystemObjectStore store, RepositoryKey? key, BackupRepository repository)
    {
        Directory = directory;
        _store = store;
        _key = key;
        _repository = repository;
    }

    public string Directory { get; }

    public sealed record Result(TimeSpan Elapsed, long Items, long RepositoryGrowth, long SizeAdded, string? Parent);

    public static async Task<CoreBackup> CreateAsync(string directory, bool encrypted)
    {
        var store = new FileSystemObjectStore(directory);
        var key = encrypted ? RepositoryKey.FromPassphrase(Passphrase) : null;
        var repository = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions { Encryption = key, KdfIterations = KdfIterations });
        return new CoreBackup(directory, store, key, repository);
    }

    /// <summary>One backup of the whole cluster with the default spec and options; anything but Completed is a failure.</summary>
    public async Task<Result> RunAsync(string kubeconfigPath, string name)
    {
        var before = SizeOnDisk(Directory);
        using var client = ClusterClient.Open(kubeconfigPath);
        using var runner = new BackupRunner(client);
        var watch = Stopwatch.StartNew();
        var summary = await runner.RunAsync(_repository, new BackupSpec(), new BackupRunOptions { Name = name }, CancellationToken.None);
        var elapsed = watch.Elapsed;
        if (summary.Phase != BackupPhase.Completed)
        {
            throw new InvalidOperationException($"Backup '{name}' ended {summary.Phase}: {summary.FailureReason}");
        }
        return new Result(elapsed, summary.ItemsBackedUp, SizeOnDisk(Directory) - before, summary.SizeAdded, summary.Parent);
    }

    /// <summary>Every byte of the repository's files: packs, indexes, manifests, records, logs.</summary>
    public static long SizeOnDisk(string directory) =>
        System.IO.Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;

    public async ValueTask DisposeAsync()
    {
        _repository.Dispose();
        _key?.Dispose();
        await _store.DisposeAsync();
    }
}
