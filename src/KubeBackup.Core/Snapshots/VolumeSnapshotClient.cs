using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore.Transforms;

namespace KubeBackup.Core.Snapshots;

/// <summary>
/// The snapshot.storage.k8s.io/v1 API and the claims and classes around it: list, get, create and delete snapshots,
/// choose a claim's snapshot class as the CSI snapshot controller would, retain a snapshot's content. Retried like every
/// other call; errors stay <see cref="ApiResponseError"/>s except those this class names.
/// </summary>
public sealed class VolumeSnapshotClient : IDisposable
{
    public const string Group = "snapshot.storage.k8s.io";
    public const string Version = "v1";
    public const string DefaultClassAnnotation = "snapshot.storage.kubernetes.io/is-default-class";
    private const int PageSize = 500;

    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly RetryingApi _api;
    private readonly ObjectClient _objects;
    private Dictionary<string, JsonObject>? _storageClasses;
    private List<JsonObject>? _snapshotClasses;

    internal VolumeSnapshotClient(IKubernetes client, RetryPolicy? retry = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _api = new RetryingApi(new KubeApi(client), retry ?? RetryPolicy.Default);
        _objects = new ObjectClient(client, retry ?? RetryPolicy.Default);
    }

    /// <summary>A client of its own for the connection: the module's way in, which must not touch KubernetesClient types.</summary>
    public VolumeSnapshotClient(Cluster.ClusterConnection connection)
        : this(connection.CreateClient())
    {
        _ownsClient = true;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Checks the cluster serves VolumeSnapshots, so a missing CRD is one clear error rather than a 404 per claim.</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotApiMissing"/>.</exception>
    public async Task EnsureSnapshotApiAsync(string cluster, CancellationToken cancellationToken)
    {
        JsonObject? resources;
        try
        {
            resources = await _api.GetAsync($"/apis/{Group}/{Version}", null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            resources = null;
        }
        var served = Json.Array(resources, "resources")?.Any(r => Json.String(Json.Field(r, "name")) == "volumesnapshots") == true;
        if (!served)
        {
            throw new KbException(ErrorIds.SnapshotApiMissing, KbErrorCategory.ResourceUnavailable, cluster,
                $"Cluster '{cluster}' does not serve {Group}/{Version} VolumeSnapshots: the CSI snapshot CRDs and snapshot controller are not installed " +
                "(kubernetes-csi/external-snapshotter), or the storage has no CSI driver that takes snapshots.");
        }
    }

    public static string SnapshotsPath(string? @namespace, string? name = null) =>
        ObjectClient.PathOf(Group, Version, "volumesnapshots", @namespace, name);

    public static string ContentPath(string? name = null) => ObjectClient.PathOf(Group, Version, "volumesnapshotcontents", null, name);

    /// <summary>The claims in the namespaces (null: all) that match the selector (null: all).</summary>
    public async Task<IReadOnlyList<ClaimInfo>> ListClaimsAsync(IReadOnlyList<string>? namespaces, string? selector, CancellationToken cancellationToken)
    {
        var claims = new List<ClaimInfo>();
        foreach (var path in Paths(namespaces, ns => ObjectClient.PathOf("", "v1", "persistentvolumeclaims", ns)))
        {
            foreach (var item in await ListAsync(path, selector, cancellationToken).ConfigureAwait(false))
            {
                claims.Add(ClaimInfo.FromJson(item));
            }
        }
        return claims;
    }

    public async Task<ClaimInfo?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await _objects.GetAsync(ObjectClient.PathOf("", "v1", "persistentvolumeclaims", @namespace, name), cancellationToken).ConfigureAwait(false) is { } claim
            ? ClaimInfo.FromJson(claim)
            : null;

    /// <summary>The snapshots in the namespaces (null: all) that match the selector (null: all), oldest first.</summary>
    public async Task<IReadOnlyList<VolumeSnapshotInfo>> ListSnapshotsAsync(IReadOnlyList<string>? namespaces, string? selector, CancellationToken cancellationToken)
    {
        var snapshots = new List<VolumeSnapshotInfo>();
        foreach (var path in Paths(namespaces, ns => SnapshotsPath(ns)))
        {
            foreach (var item in await ListAsync(path, selector, cancellationToken).ConfigureAwait(false))
            {
                snapshots.Add(VolumeSnapshotInfo.FromJson(item));
            }
        }
        return [.. snapshots.OrderBy(s => s.Created).ThenBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }

    public async Task<VolumeSnapshotInfo?> GetSnapshotAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await _objects.GetAsync(SnapshotsPath(@namespace, name), cancellationToken).ConfigureAwait(false) is { } snapshot
            ? VolumeSnapshotInfo.FromJson(snapshot)
            : null;

    /// <summary>Creates the snapshot a plan names. AlreadyExists and other refusals throw <see cref="ApiResponseError"/>.</summary>
    public async Task CreateSnapshotAsync(SnapshotPlan plan, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["name"] = plan.Name, ["namespace"] = plan.Claim.Namespace };
        if (plan.Labels.Count > 0)
        {
            metadata["labels"] = Map(plan.Labels);
        }
        if (plan.Annotations.Count > 0)
        {
            metadata["annotations"] = Map(plan.Annotations);
        }
        var spec = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = plan.Claim.Name } };
        if (plan.SnapshotClass is not null)
        {
            spec["volumeSnapshotClassName"] = plan.SnapshotClass;
        }
        var snapshot = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
        await _objects.CreateAsync(SnapshotsPath(plan.Claim.Namespace), JsonSerializer.SerializeToUtf8Bytes(snapshot), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a snapshot; false when it was gone already.</summary>
    public async Task<bool> DeleteSnapshotAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await _api.SendAsync(HttpMethod.Delete, SnapshotsPath(@namespace, name), null, null, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task<JsonObject?> GetContentAsync(string name, CancellationToken cancellationToken) =>
        _objects.GetAsync(ContentPath(name), cancellationToken);

    /// <summary>Merge-patches a VolumeSnapshotContent (its deletion policy, its annotations).</summary>
    public Task PatchContentAsync(string name, JsonObject patch, CancellationToken cancellationToken) =>
        _objects.MergePatchAsync(ContentPath(name), patch, cancellationToken);

    /// <summary>
    /// The snapshot class for a claim, as the snapshot controller chooses it: the one asked for, when it is for the
    /// claim's driver; otherwise the class marked default for that driver. The driver is the provisioner of the claim's
    /// StorageClass. Returns the class name, or the problem that stops the claim from being snapshotted.
    /// </summary>
    public async Task<(string? Class, string? Problem)> ResolveClassAsync(ClaimInfo claim, string? requested, CancellationToken cancellationToken)
    {
        var (storageClasses, snapshotClasses) = await ClassesAsync(cancellationToken).ConfigureAwait(false);
        string? driver = null;
        if (claim.StorageClass is { Length: > 0 } scName)
        {
            if (!storageClasses.TryGetValue(scName, out var sc))
            {
                return (null, $"its StorageClass '{scName}' does not exist, so the driver that would take the snapshot is unknown");
            }
            driver = Json.String(sc["provisioner"]);
        }
        if (driver is null && claim.VolumeName is { } volume
            && await _objects.GetAsync(ObjectClient.PathOf("", "v1", "persistentvolumes", null, volume), cancellationToken).ConfigureAwait(false) is { } pv)
        {
            driver = Json.String(pv["spec"]?["csi"]?["driver"]);
        }
        if (driver is null)
        {
            return (null, "it has no StorageClass and its volume is not a CSI volume, so no CSI driver can snapshot it");
        }

        var forDriver = snapshotClasses.Where(c => Json.String(c["driver"]) == driver).ToList();
        if (requested is not null)
        {
            var named = snapshotClasses.FirstOrDefault(c => Json.String(c["metadata"]?["name"]) == requested);
            if (named is null)
            {
                return (null, $"VolumeSnapshotClass '{requested}' does not exist{Choices(forDriver, driver)}");
            }
            return Json.String(named["driver"]) == driver
                ? (requested, null)
                : (null, $"VolumeSnapshotClass '{requested}' is for driver {Json.String(named["driver"])}, but the claim's volume is from {driver}{Choices(forDriver, driver)}");
        }
        var defaults = forDriver.Where(c => Json.String(c["metadata"]?["annotations"]?[DefaultClassAnnotation]) == "true").ToList();
        return defaults.Count switch
        {
            1 => (Json.String(defaults[0]["metadata"]?["name"]), null),
            0 when forDriver.Count == 0 => (null, $"no VolumeSnapshotClass exists for its driver {driver} (StorageClass '{claim.StorageClass}'); create one, or leave the claim out"),
            0 => (null, $"no VolumeSnapshotClass for driver {driver} is marked default ({DefaultClassAnnotation}: \"true\"){Choices(forDriver, driver)}"),
            _ => (null, $"{defaults.Count} VolumeSnapshotClasses for driver {driver} are marked default; name one with -SnapshotClass"),
        };
    }

    private static string Choices(List<JsonObject> forDriver, string driver) => forDriver.Count == 0
        ? $"; no class exists for driver {driver}"
        : $"; name one of {string.Join(", ", forDriver.Select(c => Json.String(c["metadata"]?["name"])))} with -SnapshotClass";

    private async Task<(Dictionary<string, JsonObject>, List<JsonObject>)> ClassesAsync(CancellationToken cancellationToken)
    {
        if (_storageClasses is null || _snapshotClasses is null)
        {
            var storage = await ListAsync(ObjectClient.PathOf("storage.k8s.io", "v1", "storageclasses", null), null, cancellationToken).ConfigureAwait(false);
            _snapshotClasses = [.. await ListAsync(ObjectClient.PathOf(Group, Version, "volumesnapshotclasses", null), null, cancellationToken).ConfigureAwait(false)];
            _storageClasses = storage.Where(s => Json.String(s["metadata"]?["name"]) is not null)
                .ToDictionary(s => Json.String(s["metadata"]?["name"])!, StringComparer.Ordinal);
        }
        return (_storageClasses, _snapshotClasses);
    }

    private static IEnumerable<string> Paths(IReadOnlyList<string>? namespaces, Func<string?, string> path) =>
        namespaces is null ? [path(null)] : namespaces.Distinct(StringComparer.Ordinal).Select(ns => path(ns));

    private async Task<List<JsonObject>> ListAsync(string path, string? selector, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? next = null;
        do
        {
            var query = $"?limit={PageSize}" + (selector is { Length: > 0 } ? "&labelSelector=" + Uri.EscapeDataString(selector) : "")
                + (next is null ? "" : "&continue=" + Uri.EscapeDataString(next));
            var page = await _api.GetAsync(path + query, null, cancellationToken).ConfigureAwait(false);
            items.AddRange(Json.Array(page, "items")?.OfType<JsonObject>() ?? []);
            next = Json.String(page["metadata"]?["continue"]) is { Length: > 0 } token ? token : null;
        }
        while (next is not null);
        return items;
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }
        return map;
    }
}
