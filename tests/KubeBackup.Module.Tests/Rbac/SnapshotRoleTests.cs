using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Rbac;

/// <summary>
/// Least privilege, measured: every request the snapshot cmdlets make (the emulator's request log) is allowed by the
/// ClusterRole of Get-KbRbacManifest -Role Snapshot, and every permission that role grants is used.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed partial class SnapshotRoleTests : IAsyncLifetime
{
    private const string Marker = "kubebackup-test-marker";
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-rbac-role-").FullName;
    private EmulatorProcess? _cluster;
    private PowerShellSession? _session;

    public async Task InitializeAsync()
    {
        var claims = Path.Combine(_directory, "claims.yaml");
        File.WriteAllText(claims, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: prod}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: prod, labels: {backup: enabled}}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
            ---
            # A pre-provisioned CSI volume and its claim without a class: its driver is read from the volume.
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: legacy-volume}
            spec:
              capacity: {storage: 1Gi}
              accessModes: [ReadWriteOnce]
              storageClassName: ""
              csi: {driver: hostpath.csi.k8s.io, volumeHandle: legacy-1}
              claimRef: {namespace: prod, name: legacy}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: legacy, namespace: prod, labels: {backup: enabled}}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: "", volumeName: legacy-volume}
            """);
        _cluster = await EmulatorProcess.StartAsync("rbac-role", "--log-requests", "--load", claims);
        _session = PowerShellSession.Start();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^? ]*)(?<query>\?\S*)?")]
    private static partial Regex RequestLine();

    [Fact]
    public async Task TheSnapshotRoleAllowsEveryRequestTheSnapshotCmdletsMakeAndNothingMore()
    {
        var session = _session!;
        var kubeconfig = _cluster!.KubeconfigPath;
        var manifest = Path.Combine(_directory, "rbac.yaml");
        File.WriteAllText(manifest, (string)session.Invoke("Get-KbRbacManifest -Role Snapshot").ThrowIfErrors().Output.Single().BaseObject);
        Kubectl.Run(kubeconfig, "apply", "-f", manifest);
        var role = JsonNode.Parse(Kubectl.Run(kubeconfig, "get", "clusterrole", "kubebackup-snapshot", "-o", "json"))!.AsObject();
        var granted = role["rules"]!.AsArray()
            .SelectMany(r => r!["apiGroups"]!.AsArray().SelectMany(g => r["resources"]!.AsArray().SelectMany(res => r["verbs"]!.AsArray()
                .Select(v => ((string)g!, (string)res!, (string)v!)))))
            .ToHashSet();
        for (var i = 0; i < 100 && !Kubectl.Run(kubeconfig, "get", "pvc", "-n", "prod", "-o", "jsonpath={.items[*].status.phase}").Equals("Bound Bound"); i++)
        {
            Thread.Sleep(50);
        }
        Kubectl.Run(kubeconfig, "get", "--raw", "/version?" + Marker);

        // What the seed's CronJob did, and what an operator does by hand.
        session.Invoke("New-KbVolumeSnapshot -AllNamespaces -Wait -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        session.Invoke("New-KbVolumeSnapshot -Namespace prod -NameFormat '{pvc}-second' -Wait -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        session.Invoke("[pscustomobject]@{ Namespace = 'prod'; Name = 'data' } | New-KbVolumeSnapshot -NameFormat '{pvc}-third' -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        session.Invoke("Get-KbVolumeSnapshot -AllNamespaces -OlderThan 1s -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        session.Invoke("Remove-KbExpiredSnapshot -AllNamespaces -KeepLast 1 -Force -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        session.Invoke("Get-KbVolumeSnapshot -Namespace prod -Kubeconfig $args[0] | Remove-KbVolumeSnapshot -Force -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();

        var log = await _cluster.StopAsync();
        var requests = log.Split('\n').SkipWhile(l => !l.Contains(Marker, StringComparison.Ordinal)).Skip(1)
            .Select(l => RequestLine().Match(l)).Where(m => m.Success)
            .Select(m => Permission(m.Groups["method"].Value, m.Groups["path"].Value, m.Groups["query"].Value))
            .OfType<(string Group, string Resource, string Verb)>()
            .ToHashSet();

        Assert.NotEmpty(requests);
        Assert.Empty(requests.Where(r => !granted.Contains(r)).Select(r => $"{r.Verb} {r.Resource}.{r.Group}"));
        Assert.Empty(granted.Where(g => !requests.Contains(g)).Select(g => $"{g.Item3} {g.Item2}.{g.Item1} (granted, never used)"));
    }

    /// <summary>The RBAC attributes of a request, as the API server's authorizer derives them; null for discovery.</summary>
    private static (string, string, string)? Permission(string method, string path, string query)
    {
        var parts = path.Trim('/').Split('/');
        int rest;
        string group;
        if (parts.Length >= 2 && parts[0] == "api")
        {
            (group, rest) = ("", 2);
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            (group, rest) = (parts[1], 3);
        }
        else
        {
            return null;
        }
        var segments = parts[rest..];
        if (segments.Length >= 3 && segments[0] == "namespaces")
        {
            segments = segments[2..];
        }
        if (segments.Length == 0)
        {
            return null;
        }
        var resource = segments.Length >= 3 ? $"{segments[0]}/{segments[2]}" : segments[0];
        var named = segments.Length >= 2;
        var verb = method switch
        {
            "GET" when query.Contains("watch=true", StringComparison.Ordinal) => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.ToLowerInvariant(),
        };
        return (group, resource, verb);
    }
}
