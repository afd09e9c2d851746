using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Tests.Cluster.Discovery;
using KubeBackup.Core.Tests.Repository;

namespace KubeBackup.Core.Tests.Backup;

/// <summary>An emulator with a small shop, a file-system repository, and helpers to run backups and read them back.</summary>
public abstract class BackupTestKit : RepositoryTestBase, IAsyncLifetime
{
    public const string Shop = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: production, labels: {env: production}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: staging, labels: {env: staging}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: tools}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: production, labels: {app: web, backup: critical}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx:1.27}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: production, labels: {app: web}}
        data: {color: blue}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: db-password, namespace: production, labels: {app: mysql, backup: critical}}
        stringData: {password: s3cret}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-mysql}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /data/mysql}
          claimRef: {namespace: production, name: mysql-data}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-unrelated}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /data/other}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: mysql-data, namespace: production, labels: {app: mysql}}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
          volumeName: pv-mysql
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: staging-config, namespace: staging, labels: {app: web}}
        data: {color: green}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: tool-config, namespace: tools}
        data: {x: "1"}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: shop-reader}
        rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: gadget, namespace: production}
        spec: {size: 3}
        """;

    private EmulatorServer? _emulator;
    private BackupRepository? _repository;

    protected EmulatorServer Emulator => _emulator!;

    internal BackupRepository Repo => _repository!;

    public virtual async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync();
        _emulator.Cluster.LoadYaml(ClusterTestKit.WidgetCrds);
        _emulator.Cluster.LoadYaml(Shop);
        _repository = await InitAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    internal BackupRunner Runner() => new(ClusterTestKit.Connect(Emulator), Sink);

    internal static BackupRunOptions Named(string name) => new() { Name = name, StorageLocation = "test", MaxConcurrentItems = 2 };

    internal Task<BackupSummary> BackupAsync(string name, BackupSpec? spec = null, CancellationToken cancellationToken = default) =>
        Runner().RunAsync(Repo, spec ?? new BackupSpec(), Named(name), cancellationToken);

    /// <summary>The items of a backup as "resource.group namespace/name" (cluster-scoped: "resource name").</summary>
    internal async Task<List<string>> ItemsAsync(string name)
    {
        var reader = await Repo.OpenBackupAsync(name);
        var entries = await reader.GetManifestAsync();
        return entries.Select(e => Describe(e.Key)).ToList();
    }

    internal async Task<JsonObject> ItemAsync(string backup, string resource, string? ns, string name)
    {
        var reader = await Repo.OpenBackupAsync(backup);
        var entry = (await reader.GetManifestAsync()).Single(e => e.Key.Resource == resource && e.Key.Namespace == ns && e.Key.Name == name);
        return JsonNode.Parse(await reader.ReadItemAsync(entry))!.AsObject();
    }

    internal static string Describe(ItemKey key)
    {
        var type = key.Group.Length == 0 ? key.Resource : $"{key.Resource}.{key.Group}";
        return key.Namespace is null ? $"{type} {key.Name}" : $"{type} {key.Namespace}/{key.Name}";
    }
}
