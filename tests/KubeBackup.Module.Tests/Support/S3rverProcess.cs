using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeBackup.Module.Tests.Support;

/// <summary>
/// s3rver 3.7.1 from tests/node as a child process with one bucket, on a port it picks itself (credentials S3RVER/S3RVER).
/// The OpenSSL legacy provider is needed: without it every truncated ListObjectsV2 page fails with 500. A missing node or
/// package fails the test with the command that installs it: in CI a missing component is a failure, not a skip.
/// </summary>
public sealed partial class S3rverProcess : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private readonly Process _process;
    private readonly string _directory;
    private bool _ownsDirectory = true;

    private S3rverProcess(Process process, string directory, int port, string bucket)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Bucket = bucket;
    }

    public int Port { get; }

    public string Bucket { get; }

    /// <summary>A storage location URL in the bucket (S3-compatible mode: a custom endpoint).</summary>
    public string Url(string prefix) => $"s3://{Bucket}/{prefix}?region=us-east-1&endpoint=http://127.0.0.1:{Port}";

    [GeneratedRegex(@"listening on [\d.]+:(?<port>\d+)")]
    private static partial Regex Listening();

    /// <summary>Starts s3rver; with a port and directory, on that port over that data (a restart after <see cref="Kill"/>).</summary>
    public static async Task<S3rverProcess> StartAsync(string bucket = "backups", int listenPort = 0, string? directory = null)
    {
        var script = Path.Combine(Repo.Root, "tests", "node", "node_modules", ".bin", "s3rver");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed: {script} is missing. Run `npm ci --prefix tests/node` from the repository root.");
        }
        directory ??= Directory.CreateTempSubdirectory("kb-s3rver-").FullName;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--openssl-legacy-provider", script, "-d", directory, "-a", "127.0.0.1", "-p", listenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", bucket })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = new StringBuilder();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(port.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (ready != port.Task)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                throw new InvalidOperationException($"s3rver did not start listening: {output}");
            }
        }
        return new S3rverProcess(process, directory, await port.Task, bucket);
    }

    /// <summary>Kills the server as a crash would, and starts it again on the same port over the same data.</summary>
    public async Task<S3rverProcess> RestartAsync()
    {
        Kill();
        _ownsDirectory = false;
        return await StartAsync(Bucket, Port, _directory);
    }

    /// <summary>The storage goes away mid-operation: the process dies, its data stays.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        if (_ownsDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
