using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;
using YamlDotNet.Serialization;

namespace KubeBackup.Core.Rbac;

/// <summary>
/// The least-privilege RBAC for a service account that runs one role's cmdlets (in a CronJob, say), as the
/// multi-document YAML <c>kubectl apply -f -</c> takes: the service account's Namespace (unless it is one the
/// cluster always has), the ServiceAccount, and either one ClusterRole with its ClusterRoleBinding or, when
/// target namespaces are given, a Role and RoleBinding per target namespace for the namespaced rules plus a
/// ClusterRole and ClusterRoleBinding for the cluster-scoped rules only (none when there are none).
/// </summary>
public static class RbacManifest
{
    public const string DefaultServiceAccount = "kubebackup";
    public const string DefaultNamespace = "kubebackup-system";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ManagedBy = "KubeBackup";

    private const string RbacApiVersion = "rbac.authorization.k8s.io/v1";

    // Namespaces every cluster has; applying a Namespace document to them would only relabel them.
    private static readonly HashSet<string> BuiltInNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .DisableAliases()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    /// <summary>The manifest as YAML documents separated by <c>---</c>.</summary>
    /// <exception cref="KbException"><c>RbacManifestInvalid</c> when a name is not a DNS-1123 label.</exception>
    public static string Build(RbacRole role, string serviceAccount, string serviceAccountNamespace, IReadOnlyList<string>? targetNamespaces = null) =>
        string.Join("---\n", Documents(role, serviceAccount, serviceAccountNamespace, targetNamespaces).Select(Yaml.Serialize));

    /// <summary>The manifest's objects, in the order they are applied, as plain maps and lists.</summary>
    public static IReadOnlyList<IDictionary<string, object>> Documents(RbacRole role, string serviceAccount, string serviceAccountNamespace, IReadOnlyList<string>? targetNamespaces = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        CheckLabel(serviceAccount, "service account");
        CheckLabel(serviceAccountNamespace, "namespace");
        var targets = (targetNamespaces ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var target in targets)
        {
            CheckLabel(target, "target namespace");
        }

        var documents = new List<IDictionary<string, object>>();
        if (!BuiltInNamespaces.Contains(serviceAccountNamespace))
        {
            documents.Add(Object("v1", "Namespace", serviceAccountNamespace, null, role));
        }
        documents.Add(Object("v1", "ServiceAccount", serviceAccount, serviceAccountNamespace, role));

        var subject = new Dictionary<string, object>
        {
            ["kind"] = "ServiceAccount",
            ["name"] = serviceAccount,
            ["namespace"] = serviceAccountNamespace,
        };
        // Without targets, every rule is granted cluster-wide; with them, only the cluster-scoped ones are.
        var clusterRules = targets.Count == 0 ? role.Rules : role.Rules.Where(r => r.ClusterScoped).ToList();
        if (clusterRules.Count > 0)
        {
            var clusterRole = Object(RbacApiVersion, "ClusterRole", role.ObjectName, null, role);
            clusterRole["rules"] = Rules(clusterRules);
            documents.Add(clusterRole);
            documents.Add(Binding("ClusterRoleBinding", "ClusterRole", null, role, subject));
        }
        var namespacedRules = role.Rules.Where(r => !r.ClusterScoped).ToList();
        if (namespacedRules.Count > 0)
        {
            foreach (var target in targets)
            {
                var namespaceRole = Object(RbacApiVersion, "Role", role.ObjectName, target, role);
                namespaceRole["rules"] = Rules(namespacedRules);
                documents.Add(namespaceRole);
                documents.Add(Binding("RoleBinding", "Role", target, role, subject));
            }
        }
        return documents;
    }

    private static void CheckLabel(string value, string what)
    {
        // Service account names follow the same DNS-1123 label rule as namespace names here.
        if (value is null || NamespaceName.Problem(value) is not null)
        {
            throw new KbException(ErrorIds.RbacManifestInvalid, KbErrorCategory.InvalidArgument, value,
                $"'{value}' is not a valid {what} name: use a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit).");
        }
    }

    private static Dictionary<string, object> Object(string apiVersion, string kind, string name, string? ns, RbacRole role)
    {
        var metadata = new Dictionary<string, object> { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }
        metadata["labels"] = new Dictionary<string, object>
        {
            [ManagedByLabel] = ManagedBy,
            [ComponentLabel] = role.Component,
        };
        return new Dictionary<string, object>
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = metadata,
        };
    }

    private static Dictionary<string, object> Binding(string kind, string roleKind, string? ns, RbacRole role, Dictionary<string, object> subject)
    {
        var binding = Object(RbacApiVersion, kind, role.ObjectName, ns, role);
        binding["roleRef"] = new Dictionary<string, object>
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = roleKind,
            ["name"] = role.ObjectName,
        };
        binding["subjects"] = new List<object> { subject };
        return binding;
    }

    private static List<object> Rules(IEnumerable<RbacRule> rules) =>
        rules.Select(r => (object)new Dictionary<string, object>
        {
            ["apiGroups"] = new List<object> { r.ApiGroup },
            ["resources"] = new List<object> { r.Resource },
            ["verbs"] = r.Verbs.Cast<object>().ToList(),
        }).ToList();
}
