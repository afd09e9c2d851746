using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeBackup.Benchmarks.Scenarios.Backup;
using KubeBackup.Core.Cluster.Discovery;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// The plain alternative to a restore: the files of <see cref="KubectlExport"/> (a JSON List per type) with the objects
/// the restore creates kept and reset as <see cref="ObjectReset"/> does, then <c>kubectl create -f</c> them a tier at a
/// time in the restore's order (one kubectl per tier with a -f per type: the CRDs must exist before kubectl's discovery
/// can map their kinds).
/// </summary>
public static class KubectlCreate
{
    public sealed record Result(TimeSpan Elapsed, long Objects, long Bytes);

    /// <summary>The files to create, per tier; written once, untimed, and used by every run.</summary>
    public sealed record Files(IReadOnlyList<IReadOnlyList<string>> Tiers, long Objects, long Bytes);

    public static async Task<Files> PrepareAsync(string exportDirectory, IReadOnlyList<ApiResource> types, RestoreSet set, string directory)
    {
        Directory.CreateDirectory(directory);
        var tiers = new SortedDictionary<int, List<string>>();
        long objects = 0, bytes = 0;
        foreach (var type in types)
        {
            var list = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(exportDirectory, type.FullName + ".json")))!.AsObject();
            var byTier = new SortedDictionary<int, JsonArray>();
            foreach (var item in list["items"]!.AsArray().Select(i => i!.AsObject()).ToList())
            {
                var metadata = item["metadata"]!;
                if (set.TierOf(type.Group, type.Resource, metadata["namespace"]?.GetValue<string>(), metadata["name"]!.GetValue<string>()) is { } tier)
                {
                    item.Parent!.AsArray().Remove(item);
                    (byTier.TryGetValue(tier, out var kept) ? kept : byTier[tier] = []).Add(ObjectReset.Reset(item));
                }
            }
            foreach (var (tier, items) in byTier)
            {
                var path = Path.Combine(directory, $"{tier:D2}-{type.FullName}.json");
                await File.WriteAllTextAsync(path, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString());
                (tiers.TryGetValue(tier, out var paths) ? paths : tiers[tier] = []).Add(path);
                objects += items.Count;
                bytes += new FileInfo(path).Length;
            }
        }
        if (objects != set.Count)
        {
            throw new InvalidOperationException($"kubectl's files hold {objects} of the {set.Count} objects the restore creates.");
        }
        return new Files(tiers.Values.ToList(), objects, bytes);
    }

    public static async Task<Result> RunAsync(string kubectl, string kubeconfigPath, Files files)
    {
        var watch = Stopwatch.StartNew();
        foreach (var tier in files.Tiers)
        {
            // --validate=false: client-side validation needs the OpenAPI documents, which the emulator does not serve.
            var arguments = new List<string> { "create", "--validate=false", "--kubeconfig", kubeconfigPath, "--request-timeout", "120s" };
            foreach (var path in tier)
            {
                arguments.AddRange(["-f", path]);
            }
            var (code, _, stderr) = await KubectlExport.RunAsync(kubectl, arguments, Stream.Null);
            if (code != 0)
            {
                throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed ({code}): {stderr.Trim()}");
            }
        }
        return new Result(watch.Elapsed, files.Objects, files.Bytes);
    }
}
