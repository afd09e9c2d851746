using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Rbac;

/// <summary>
/// Least privilege, measured: every request a role's cmdlets make (the emulator's request log) is allowed by the
/// ClusterRole of Get-KbRbacManifest -Role, and every permission that role grants is used.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed partial class RbacRoleTests : IAsyncLifetime
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
            ---
            # The pod a backup hook runs in.
            apiVersion: v1
            kind: Pod
            metadata: {name: db-0, namespace: prod, labels: {app: db}}
            spec: {containers: [{name: db, image: mysql:8.0}]}
            """);
        _cluster = await EmulatorProcess.StartAsync("rbac-role", "--log-requests", "--load", claims, "--load", Path.Combine(Repo.Root, "tests", "fixtures", "webapp"));
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
        var (requests, granted) = await MeasureAsync("Snapshot", (session, kubeconfig) =>
        {
            // What the seed's CronJob did, and what an operator does by hand.
            session.Invoke("New-KbVolumeSnapshot -AllNamespaces -Wait -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
            session.Invoke("New-KbVolumeSnapshot -Namespace prod -NameFormat '{pvc}-second' -Wait -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
            session.Invoke("[pscustomobject]@{ Namespace = 'prod'; Name = 'data' } | New-KbVolumeSnapshot -NameFormat '{pvc}-third' -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
            session.Invoke("Get-KbVolumeSnapshot -AllNamespaces -OlderThan 1s -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
            session.Invoke("Remove-KbExpiredSnapshot -AllNamespaces -KeepLast 1 -Force -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
            session.Invoke("Get-KbVolumeSnapshot -Namespace prod -Kubeconfig $args[0] | Remove-KbVolumeSnapshot -Force -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        });

        Assert.Empty(Denied(requests, granted));
        Assert.Empty(Unused(requests, granted));
    }

    [Fact]
    public async Task TheBackupRoleAllowsEveryRequestABackupWithHooksAndSnapshotsMakes()
    {
        var location = new Uri(Path.Combine(_directory, "location")).AbsoluteUri;
        var (requests, granted) = await MeasureAsync("Backup", (session, kubeconfig) =>
        {
            var backup = session.Invoke(
                "New-KbBackup nightly -Kubeconfig $args[0] -StorageLocation $args[1] -SnapshotVolumes -Hook @{ Name = 'sync'; IncludedNamespaces = 'prod'; LabelSelector = 'app=db'; Pre = @{ Command = 'sync'; OnError = 'Continue' } }",
                kubeconfig, location);
            Assert.NotEmpty(backup.Output);
        });

        Assert.Empty(Denied(requests, granted));
        Assert.Contains(requests, r => r.Resource == "pods/exec");
        // A websocket exec is authorized as get before Kubernetes 1.35 and as create from then on: the role has both.
        Assert.Equal(["create pods/exec."], Unused(requests, granted));
    }

    [Fact]
    public async Task TheFailoverRoleAllowsEveryRequestStandbyFailoverAndStandbyAgainMakeAndNothingMore()
    {
        var (requests, granted) = await MeasureAsync("Failover", (session, kubeconfig) =>
        {
            session.Invoke("Set-KbStandby -Namespace webapp -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
            var failover = session.Invoke("Invoke-KbFailover -DrContext rbac-role -Kubeconfig $args[0] -Namespace webapp -Timeout 30s -Force", kubeconfig).ThrowIfErrors();
            Assert.True((bool)failover.Output.Single().Properties["Succeeded"].Value);
            // The DR side becomes a standby again (failback): its promoted mark is released.
            session.Invoke("Set-KbStandby -Namespace webapp -Kubeconfig $args[0]", kubeconfig).ThrowIfErrors();
        });

        Assert.Empty(Denied(requests, granted));
        Assert.Empty(Unused(requests, granted));
    }

    /// <summary>Applies the role's manifest, runs the work after a marker request, and returns the requests made after it.</summary>
    private async Task<(HashSet<(string Group, string Resource, string Verb)> Requests, HashSet<(string, string, string)> Granted)> MeasureAsync(
        string role, Action<PowerShellSession, string> work)
    {
        var session = _session!;
        var kubeconfig = _cluster!.KubeconfigPath;
        var manifest = Path.Combine(_directory, "rbac.yaml");
        File.WriteAllText(manifest, (string)session.Invoke("Get-KbRbacManifest -Role $args[0]", role).ThrowIfErrors().Output.Single().BaseObject);
        Kubectl.Run(kubeconfig, "apply", "-f", manifest);
        var clusterRole = JsonNode.Parse(Kubectl.Run(kubeconfig, "get", "clusterrole", "kubebackup-" + role.ToLowerInvariant(), "-o", "json"))!.AsObject();
        var granted = clusterRole["rules"]!.AsArray()
            .SelectMany(r => r!["apiGroups"]!.AsArray().SelectMany(g => r["resources"]!.AsArray().SelectMany(res => r["verbs"]!.AsArray()
                .Select(v => ((string)g!, (string)res!, (string)v!)))))
            .ToHashSet();
        for (var i = 0; i < 200 && Kubectl.Run(kubeconfig, "get", "pvc", "-A", "-o", "jsonpath={.items[*].status.phase}").Split(' ').Any(p => p != "Bound"); i++)
        {
            Thread.Sleep(50);
        }
        // The pod the backup's hook runs in is started by the pod controller.
        for (var i = 0; i < 200 && !Kubectl.Run(kubeconfig, "get", "pod", "db-0", "-n", "prod", "-o", "jsonpath={.status.phase}").Equals("Running", StringComparison.Ordinal); i++)
        {
            Thread.Sleep(50);
        }
        Kubectl.Run(kubeconfig, "get", "--raw", "/version?" + Marker);

        work(session, kubeconfig);

        var log = await _cluster.StopAsync();
        var requests = log.Split('\n').SkipWhile(l => !l.Contains(Marker, StringComparison.Ordinal)).Skip(1)
            .Select(l => RequestLine().Match(l)).Where(m => m.Success)
            .Select(m => Permission(m.Groups["method"].Value, m.Groups["path"].Value, m.Groups["query"].Value))
            .OfType<(string Group, string Resource, string Verb)>()
            .ToHashSet();
        Assert.NotEmpty(requests);
        return (requests, granted);
    }

    private static bool Matches((string Group, string Resource, string Verb) rule, (string Group, string Resource, string Verb) request) =>
        (rule.Group == "*" || rule.Group == request.Group) && (rule.Resource == "*" || rule.Resource == request.Resource) && (rule.Verb == "*" || rule.Verb == request.Verb);

    private static List<string> Denied(HashSet<(string Group, string Resource, string Verb)> requests, HashSet<(string, string, string)> granted) =>
        [.. requests.Where(r => !granted.Any(g => Matches(g, r))).Select(r => $"{r.Verb} {r.Resource}.{r.Group}").Order(StringComparer.Ordinal)];

    private static List<string> Unused(HashSet<(string Group, string Resource, string Verb)> requests, HashSet<(string Group, string Resource, string Verb)> granted) =>
        [.. granted.Where(g => !requests.Any(r => Matches(g, r))).Select(g => $"{g.Verb} {g.Resource}.{g.Group}").Order(StringComparer.Ordinal)];

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
