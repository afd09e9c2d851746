using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Synthetic;

/// <summary>
/// Generates a realistic cluster of a given number of objects across namespaces: workloads with services,
/// config maps with a few KB of data, secrets, service accounts, claims, RBAC, a CRD and its instances.
/// The same seed gives the same objects (names, labels, data).
/// </summary>
public static class SyntheticCluster
{
    public const string CrdGroup = "synthetic.example.com";
    private const int ObjectsPerNamespace = 200;
    private static readonly string[] Tiers = ["frontend", "backend", "cache", "worker", "db"];
    private static readonly string[] Words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];

    /// <summary>Creates about count objects; returns how many were created.</summary>
    public static int Generate(ClusterAccess cluster, int count, int seed)
    {
        var random = new Random(seed);
        var created = 0;
        cluster.Put(Crd());
        created++;
        var namespaces = Math.Max(1, (count + ObjectsPerNamespace - 1) / ObjectsPerNamespace);
        var perNamespace = Math.Max(1, (count - created - namespaces) / namespaces);
        for (var n = 0; n < namespaces && created < count; n++)
        {
            var ns = $"team-{Words[n % Words.Length]}-{n:D3}";
            cluster.Put(Obj("v1", "Namespace", null, ns, new JsonObject { ["team"] = Words[n % Words.Length], ["synthetic"] = "true" }));
            created++;
            for (var i = 0; i < perNamespace && created < count; i++)
            {
                cluster.Put(Make(i, ns, random));
                created++;
            }
        }
        return created;
    }

    private static JsonObject Make(int i, string ns, Random random)
    {
        var app = $"{Words[random.Next(Words.Length)]}-{i / 10:D3}";
        var tier = Tiers[random.Next(Tiers.Length)];
        var labels = new JsonObject { ["app"] = app, ["tier"] = tier, ["synthetic"] = "true" };
        var name = $"{app}-{i:D4}";
        switch (i % 10)
        {
            case 0 or 1 or 2:
                var cm = Obj("v1", "ConfigMap", ns, name + "-config", labels);
                cm["data"] = new JsonObject
                {
                    ["application.properties"] = Text(random, 2048 + random.Next(3072)),
                    ["log-level"] = random.Next(2) == 0 ? "info" : "debug",
                };
                return cm;
            case 3:
                var secret = Obj("v1", "Secret", ns, name + "-credentials", labels);
                secret["type"] = "Opaque";
                secret["data"] = new JsonObject
                {
                    ["username"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("user-" + random.Next(1000))),
                    ["password"] = Convert.ToBase64String(RandomBytes(random, 24)),
                };
                return secret;
            case 4:
                return Deployment(name, ns, labels, random);
            case 5:
                var svc = Obj("v1", "Service", ns, name, labels);
                svc["spec"] = new JsonObject
                {
                    ["selector"] = new JsonObject { ["app"] = app },
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = 8080 }),
                };
                return svc;
            case 6:
                return Obj("v1", "ServiceAccount", ns, name + "-sa", labels);
            case 7:
                var pvc = Obj("v1", "PersistentVolumeClaim", ns, name + "-data", labels);
                pvc["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = $"{1 + random.Next(20)}Gi" } },
                };
                return pvc;
            case 8:
                if (random.Next(2) == 0)
                {
                    var role = Obj("rbac.authorization.k8s.io/v1", "Role", ns, name + "-reader", labels);
                    role["rules"] = new JsonArray(new JsonObject
                    {
                        ["apiGroups"] = new JsonArray(""),
                        ["resources"] = new JsonArray("configmaps", "secrets"),
                        ["verbs"] = new JsonArray("get", "list", "watch"),
                    });
                    return role;
                }
                var binding = Obj("rbac.authorization.k8s.io/v1", "RoleBinding", ns, name + "-binding", labels);
                binding["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "view" };
                binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "default", ["namespace"] = ns });
                return binding;
            default:
                var widget = Obj(CrdGroup + "/v1", "Widget", ns, name + "-widget", labels);
                widget["spec"] = new JsonObject
                {
                    ["size"] = random.Next(1, 100),
                    ["color"] = Words[random.Next(Words.Length)],
                    ["replicas"] = random.Next(1, 5),
                };
                return widget;
        }
    }

    private static JsonObject Deployment(string name, string ns, JsonObject labels, Random random)
    {
        var d = Obj("apps/v1", "Deployment", ns, name, labels);
        var selector = new JsonObject { ["app"] = labels["app"]!.DeepClone() };
        d["spec"] = new JsonObject
        {
            ["replicas"] = random.Next(1, 4),
            ["selector"] = new JsonObject { ["matchLabels"] = selector },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "app",
                        ["image"] = $"registry.example.com/{labels["app"]}:{random.Next(1, 9)}.{random.Next(0, 20)}",
                        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["name"] = "http" }),
                        ["env"] = new JsonArray(new JsonObject { ["name"] = "TIER", ["value"] = labels["tier"]!.DeepClone() }),
                        ["resources"] = new JsonObject
                        {
                            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
                        },
                    }),
                },
            },
        };
        return d;
    }

    private static JsonObject Crd() => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = "widgets." + CrdGroup },
        ["spec"] = new JsonObject
        {
            ["group"] = CrdGroup,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = "widgets", ["singular"] = "widget", ["kind"] = "Widget", ["listKind"] = "WidgetList", ["shortNames"] = new JsonArray("wg") },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1", ["served"] = true, ["storage"] = true,
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
            }),
        },
    };

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name, JsonObject labels)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
            meta["namespace"] = ns;
        meta["labels"] = labels.DeepClone();
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = meta };
    }

    private static string Text(Random random, int length)
    {
        var sb = new StringBuilder(length + 64);
        var line = 0;
        while (sb.Length < length)
        {
            sb.Append(CultureInfo.InvariantCulture, $"setting.{Words[random.Next(Words.Length)]}.{line++}=");
            sb.Append(Words[random.Next(Words.Length)]).Append('-').Append(random.Next(100000)).Append('\n');
        }
        return sb.ToString();
    }

    private static byte[] RandomBytes(Random random, int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }
}
