using KubeApiEmulator;
using KubeApiEmulator.Hosting;
using KubeApiEmulator.Manifests;
using KubeApiEmulator.Synthetic;

CommandLine command;
try
{
    command = CommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

if (command.SelfTestSpeed)
{
    await SpeedSelfTest.RunAsync(Console.Out);
    return 0;
}

var options = new EmulatorOptions
{
    Port = command.Port,
    ContextName = command.ContextName,
    InstallSnapshotCrds = command.SnapshotCrds,
    LogRequests = command.LogRequests,
};
if (!command.Controllers)
    options.Controllers.SetAll(false);
foreach (var (key, message) in command.SnapshotErrors)
    options.Controllers.SnapshotErrors[key] = message;
foreach (var key in command.SnapshotsNeverReady)
    options.Controllers.SnapshotsNeverReadyByName[key] = true;
if (command.SnapshotReadyDelay is { } delay)
    options.Controllers.SnapshotReadyDelay = delay;
foreach (var key in command.WorkloadsNeverReady)
    options.Controllers.WorkloadsNeverReadyByName[key] = true;
if (command.WorkloadReadyDelay is { } workloadDelay)
    options.Controllers.WorkloadReadyDelay = workloadDelay;

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(options);
}
catch (IOException e)
{
    Console.Error.WriteLine($"KubeApiEmulator: cannot listen on 127.0.0.1:{options.Port}: {e.Message}");
    return 1;
}
await using var running = server;
try
{
    foreach (var path in command.Load)
        ManifestLoader.LoadPath(server.Cluster, path);
    if (command.Synthetic > 0)
        SyntheticCluster.Generate(server.Cluster, command.Synthetic, command.Seed);
}
catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or KubeApiEmulator.Api.ApiException or ArgumentException)
{
    Console.Error.WriteLine($"KubeApiEmulator: {e.Message}");
    return 1;
}
// Faults last, so loading the cluster never meets them.
foreach (var fault in command.Faults)
    server.Faults.Add(fault);
if (command.KubeconfigPath is not null)
    await server.WriteKubeconfigAsync(command.KubeconfigPath);

Console.Out.WriteLine($"KubeApiEmulator listening on {server.Url.GetLeftPart(UriPartial.Authority)}");
Console.Out.Flush();

var stop = new TaskCompletionSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.TrySetResult();
});
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
{
    c.Cancel = true;
    stop.TrySetResult();
});
if (command.ExitOnStdinClose)
{
    _ = Task.Run(async () =>
    {
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer) > 0)
        {
        }
        stop.TrySetResult();
    });
}
await stop.Task;
return 0;
