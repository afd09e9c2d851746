using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks;

/// <summary>
/// s3rver from tests/node (npm ci --prefix tests/node), run with node on 127.0.0.1 on a port it picks, killed on dispose.
/// The OpenSSL legacy provider is needed for its truncated listings.
/// </summary>
public sealed partial class S3rver : IAsyncDisposable
{
    private const string Key = "S3RVER";
    private readonly Process _process;
    private readonly string _directory;

    private S3rver(Process process, string directory, string endpoint)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <summary>Why s3rver cannot run here, or null when it can.</summary>
    public static string? Unavailable(string repoRoot)
    {
        if (!File.Exists(Script(repoRoot)))
        {
            return $"s3rver is not installed ({Script(repoRoot)} is missing; run `npm ci --prefix tests/node`)";
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"];
        return path.Split(Path.PathSeparator).Any(d => names.Any(n => File.Exists(Path.Combine(d, n)))) ? null : "node is not on PATH";
    }

    public static async Task<S3rver> StartAsync(string repoRoot)
    {
        var directory = Directory.CreateTempSubdirectory("kb-bench-s3rver-").FullName;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--openssl-legacy-provider", Script(repoRoot), "-d", directory, "-a", "127.0.0.1", "-p", "0", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var port = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } match)
            {
                port.TrySetResult(match.Groups["port"].Value);
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(port.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30))) != port.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("s3rver did not start listening within 30 s.");
        }
        var server = new S3rver(process, directory, $"http://127.0.0.1:{await port.Task}");
        using var admin = new AmazonS3Client(new BasicAWSCredentials(Key, Key), new AmazonS3Config
        {
            ServiceURL = server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = "bench" });
        return server;
    }

    /// <summary>A location in the server's bucket under its own prefix, with a Velero-style credentials file.</summary>
    public StorageLocation Location(string prefix)
    {
        var credentials = Path.Combine(_directory, "credentials-velero");
        if (!File.Exists(credentials))
        {
            File.WriteAllText(credentials, $"[default]\naws_access_key_id={Key}\naws_secret_access_key={Key}\n");
        }
        return new StorageLocation { Name = "s3rver", Provider = StorageProvider.S3, Bucket = "bench", Prefix = prefix, Endpoint = Endpoint, CredentialFile = credentials };
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Script(string repoRoot) => Path.Combine(repoRoot, "tests", "node", "node_modules", ".bin", "s3rver");

    [GeneratedRegex(@"listening on [\d.]+:(?<port>\d+)")]
    private static partial Regex Listening();
}
