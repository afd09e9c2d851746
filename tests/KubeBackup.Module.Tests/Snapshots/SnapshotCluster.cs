using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Snapshots;

/// <summary>
/// An emulator (out of process, with its CSI snapshot controller) and a session whose KUBECONFIG points at it, with
/// claims and snapshots created through kubectl as an operator or a CronJob would create them.
/// </summary>
internal sealed class SnapshotCluster : IAsyncDisposable
{
    private SnapshotCluster(EmulatorProcess emulator, PowerShellSession session)
    {
        Emulator = emulator;
        Session = session;
    }

    public EmulatorProcess Emulator { get; }

    public PowerShellSession Session { get; }

    public static async Task<SnapshotCluster> StartAsync(params string[] emulatorArguments)
    {
        var emulator = await EmulatorProcess.StartAsync("snapshots", emulatorArguments);
        var session = PowerShellSession.Start();
        session.Invoke("$env:KUBECONFIG = $args[0]", emulator.KubeconfigPath).ThrowIfErrors();
        return new SnapshotCluster(emulator, session);
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await Emulator.DisposeAsync();
    }

    public string Kubectl(params string[] arguments) => Restores.Kubectl.Run(Emulator.KubeconfigPath, arguments);

    public void Apply(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kb-snapshots-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            Kubectl("create", "--validate=false", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Namespaces and bound claims (the emulator's volume controller binds them asynchronously, as a real one does).</summary>
    public async Task ClaimsAsync(params (string Namespace, string Name)[] claims)
    {
        var yaml = string.Join("---\n", claims.Select(c => c.Namespace).Distinct().Where(ns => ns != "default")
            .Select(ns => $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")
            .Concat(claims.Select(c => $"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {c.Name}, namespace: {c.Namespace}}}\n" +
                "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}\n")));
        Apply(yaml);
        await WaitAsync(() => claims.All(c => Kubectl("get", "pvc", c.Name, "-n", c.Namespace, "-o", "jsonpath={.status.phase}") == "Bound"), "claims to bind");
    }

    /// <summary>Creates snapshots of claims (with the <c>backup-type</c> label unless null) and waits until they are ready.</summary>
    public async Task SnapshotsAsync(params (string Namespace, string Name, string Claim, string? BackupType)[] snapshots)
    {
        Apply(string.Join("---\n", snapshots.Select(s =>
            "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\n" +
            $"metadata: {{name: {s.Name}, namespace: {s.Namespace}{(s.BackupType is null ? "" : $", labels: {{backup-type: {s.BackupType}, source-pvc: {s.Claim}}}")}}}\n" +
            $"spec: {{source: {{persistentVolumeClaimName: {s.Claim}}}}}\n")));
        await WaitAsync(() =>
        {
            var ready = Snapshots().Where(s => (bool?)s["status"]?["readyToUse"] == true).Select(s => ((string)s["metadata"]!["namespace"]!, (string)s["metadata"]!["name"]!)).ToHashSet();
            return snapshots.All(s => ready.Contains((s.Namespace, s.Name)));
        }, "snapshots to become ready");
    }

    /// <summary>Every VolumeSnapshot in the cluster, as kubectl reads it.</summary>
    public List<JsonObject> Snapshots() =>
        [.. JsonNode.Parse(Kubectl("get", "volumesnapshots", "-A", "-o", "json"))!["items"]!.AsArray().OfType<JsonObject>()];

    /// <summary>"namespace/name" of every snapshot not being deleted.</summary>
    public string[] SnapshotNames() =>
        [.. Snapshots().Where(s => s["metadata"]?["deletionTimestamp"] is null)
            .Select(s => $"{s["metadata"]!["namespace"]}/{s["metadata"]!["name"]}").Order(StringComparer.Ordinal)];

    public DateTimeOffset Created(string ns, string name) =>
        DateTimeOffset.Parse(Kubectl("get", "volumesnapshot", name, "-n", ns, "-o", "jsonpath={.metadata.creationTimestamp}"), System.Globalization.CultureInfo.InvariantCulture);

    public static async Task WaitAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {seconds} s waiting for {what}.");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the clock is at least <paramref name="gap"/> past <paramref name="time"/> (creation times have whole seconds).</summary>
    public static async Task WaitUntilPastAsync(DateTimeOffset time, TimeSpan gap)
    {
        var left = time + gap - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    public static string Text(PSObject o, string property) => o.Properties[property].Value?.ToString() ?? "";

    public static string[] Keys(PsResult result) => [.. result.Output.Select(o => $"{Text(o, "Namespace")}/{Text(o, "Name")}")];
}
