using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeBackup.Core.Tests.Storage.Servers;

/// <summary>
/// A test server from tests/node (s3rver, Azurite) run with node on 127.0.0.1 and a port it picks itself, read
/// from its first log line. The process tree is killed on dispose. Missing node or packages fail the fixture
/// with the command that installs them.
/// </summary>
internal sealed class NodeServer : IDisposable
{
    public const string InstallCommand = "npm ci --prefix tests/node";
    private readonly Process _process;
    private readonly StringBuilder _output;

    private NodeServer(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    public static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KubeBackup.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"KubeBackup.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Starts <c>node [nodeOptions] tests/node/node_modules/.bin/{bin} [arguments]</c> and waits for <paramref name="listening"/>.</summary>
    public static async Task<NodeServer> StartAsync(string bin, IEnumerable<string> nodeOptions, IEnumerable<string> arguments, Regex listening)
    {
        var script = Path.Combine(RepoRoot(), "tests", "node", "node_modules", ".bin", bin);
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{bin} is not installed: {script} is missing. Run `{InstallCommand}` from the repository root.");
        }
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in nodeOptions.Append(script).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"node is not on PATH ({e.Message}); install Node.js 20 or later and run `{InstallCommand}`.", e);
        }
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
            if (listening.Match(e.Data) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var ready = await Task.WhenAny(port.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (ready != port.Task)
        {
            Kill(process);
            throw new InvalidOperationException($"{bin} did not start listening: {output}");
        }
        return new NodeServer(process, output, await port.Task);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose() => Kill(_process);

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
