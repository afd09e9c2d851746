using KubeBackup.Core.Errors;
using KubeBackup.Core.Rbac;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Tests.Rbac;

public sealed class RbacManifestTests
{
    private static List<YamlMappingNode> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return ((YamlScalarNode)node).Value!;
    }

    private static YamlMappingNode Find(List<YamlMappingNode> documents, string kind, string? ns = null) =>
        Assert.Single(documents, d => Text(d, "kind") == kind && (ns is null || Text(d, "metadata", "namespace") == ns));

    private static List<(string Group, string Resource, string Verbs)> RulesOf(YamlMappingNode role) =>
        ((YamlSequenceNode)role.Children[new YamlScalarNode("rules")]).Children.Select(r =>
        {
            var groups = (YamlSequenceNode)((YamlMappingNode)r).Children[new YamlScalarNode("apiGroups")];
            var resources = (YamlSequenceNode)((YamlMappingNode)r).Children[new YamlScalarNode("resources")];
            var verbs = (YamlSequenceNode)((YamlMappingNode)r).Children[new YamlScalarNode("verbs")];
            return (((YamlScalarNode)Assert.Single(groups.Children)).Value!, ((YamlScalarNode)Assert.Single(resources.Children)).Value!,
                string.Join(",", verbs.Children.Select(v => ((YamlScalarNode)v).Value!)));
        }).ToList();

    private static List<(string Group, string Resource, string Verbs)> Expected(IEnumerable<RbacRule> rules) =>
        rules.Select(r => (r.ApiGroup, r.Resource, string.Join(",", r.Verbs))).ToList();

    [Fact]
    public void TheSnapshotRoleAsksForExactlyWhatTheSnapshotCmdletsNeed()
    {
        var rules = RbacRules.Snapshot.ToDictionary(r => (r.ApiGroup, r.Resource), r => string.Join(",", r.Verbs));
        Assert.Equal(new Dictionary<(string, string), string>
        {
            [("", "persistentvolumeclaims")] = "get,list",
            [("", "persistentvolumes")] = "get",
            [("storage.k8s.io", "storageclasses")] = "list",
            [("snapshot.storage.k8s.io", "volumesnapshotclasses")] = "list",
            [("snapshot.storage.k8s.io", "volumesnapshots")] = "get,list,create,delete",
            [("snapshot.storage.k8s.io", "volumesnapshotcontents")] = "get",
        }, rules);
        Assert.Equal(["persistentvolumeclaims", "volumesnapshots"], RbacRules.Snapshot.Where(r => !r.ClusterScoped).Select(r => r.Resource));
    }

    [Theory]
    [InlineData("", "persistentvolumeclaims", "list", true)]
    [InlineData("snapshot.storage.k8s.io", "volumesnapshots", "delete", true)]
    [InlineData("snapshot.storage.k8s.io", "volumesnapshotcontents", "delete", false)]
    [InlineData("snapshot.storage.k8s.io", "volumesnapshotcontents", "patch", false)]
    [InlineData("", "persistentvolumeclaims", "patch", false)]
    [InlineData("", "secrets", "get", false)]
    [InlineData("apiextensions.k8s.io", "customresourcedefinitions", "get", false)]
    [InlineData("snapshot.storage.k8s.io", "volumesnapshots", "watch", false)]
    [InlineData("storage.k8s.io", "volumesnapshots", "get", false)]
    public void AllowsAnswersForARequestAsTheAuthorizerWould(string group, string resource, string verb, bool allowed)
    {
        Assert.Equal(allowed, RbacRules.Allows(RbacRules.Snapshot, group, resource, verb));
    }

    [Fact]
    public void AStarMatchesAnyGroupResourceOrVerb()
    {
        RbacRule[] rules = [new("*", "*", false, ["get", "list"]), RbacRule.Namespaced("", "pods/exec", "*")];
        Assert.True(RbacRules.Allows(rules, "apps", "deployments", "list"));
        Assert.False(RbacRules.Allows(rules, "apps", "deployments", "delete"));
        Assert.True(RbacRules.Allows(rules, "", "pods/exec", "create"));
        Assert.False(RbacRules.Allows(rules, "", "pods/log", "create"));
    }

    [Fact]
    public void WithoutTargetNamespacesEveryRuleIsInOneClusterRoleBoundToTheServiceAccount()
    {
        var yaml = RbacManifest.Build(RbacRole.Snapshot, RbacManifest.DefaultServiceAccount, RbacManifest.DefaultNamespace);
        var documents = Parse(yaml);

        Assert.Equal(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"], documents.Select(d => Text(d, "kind")));
        Assert.Equal("kubebackup-system", Text(Find(documents, "Namespace"), "metadata", "name"));
        var account = Find(documents, "ServiceAccount");
        Assert.Equal("kubebackup", Text(account, "metadata", "name"));
        Assert.Equal("kubebackup-system", Text(account, "metadata", "namespace"));

        var clusterRole = Find(documents, "ClusterRole");
        Assert.Equal("rbac.authorization.k8s.io/v1", Text(clusterRole, "apiVersion"));
        Assert.Equal("kubebackup-snapshot", Text(clusterRole, "metadata", "name"));
        Assert.Equal(Expected(RbacRules.Snapshot), RulesOf(clusterRole));

        var binding = Find(documents, "ClusterRoleBinding");
        Assert.Equal("kubebackup-snapshot", Text(binding, "metadata", "name"));
        Assert.Equal("ClusterRole", Text(binding, "roleRef", "kind"));
        Assert.Equal("kubebackup-snapshot", Text(binding, "roleRef", "name"));
        Assert.Equal("rbac.authorization.k8s.io", Text(binding, "roleRef", "apiGroup"));
        var subject = (YamlMappingNode)Assert.Single(((YamlSequenceNode)binding.Children[new YamlScalarNode("subjects")]).Children);
        Assert.Equal(("ServiceAccount", "kubebackup", "kubebackup-system"), (Text(subject, "kind"), Text(subject, "name"), Text(subject, "namespace")));

        foreach (var document in documents)
        {
            Assert.Equal("KubeBackup", Text(document, "metadata", "labels", "app.kubernetes.io/managed-by"));
            Assert.Equal("snapshot", Text(document, "metadata", "labels", "app.kubernetes.io/component"));
        }
    }

    [Fact]
    public void TheCoreApiGroupIsAQuotedEmptyStringAndNamesThatLookLikeNumbersStayStrings()
    {
        var yaml = RbacManifest.Build(RbacRole.Snapshot, "kubebackup", "2024", ["007", "true"]);

        Assert.Contains("- \"\"", yaml);
        var documents = Parse(yaml);
        var account = Find(documents, "ServiceAccount");
        var ns = (YamlScalarNode)((YamlMappingNode)account.Children[new YamlScalarNode("metadata")]).Children[new YamlScalarNode("namespace")];
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, ns.Style);
        Assert.Equal(2, documents.Count(d => Text(d, "kind") == "Role"));
    }

    [Fact]
    public void TargetNamespacesGetARoleAndBindingEachAndOnlyClusterScopedRulesStayInTheClusterRole()
    {
        var documents = Parse(RbacManifest.Build(RbacRole.Snapshot, "snapper", "ops", ["prod", "staging", "prod"]));

        Assert.Equal(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Role", "RoleBinding"],
            documents.Select(d => Text(d, "kind")));
        Assert.Equal(Expected(RbacRules.Snapshot.Where(r => r.ClusterScoped)), RulesOf(Find(documents, "ClusterRole")));
        foreach (var target in new[] { "prod", "staging" })
        {
            var role = Find(documents, "Role", target);
            Assert.Equal("kubebackup-snapshot", Text(role, "metadata", "name"));
            Assert.Equal(Expected(RbacRules.Snapshot.Where(r => !r.ClusterScoped)), RulesOf(role));
            var binding = Find(documents, "RoleBinding", target);
            Assert.Equal("Role", Text(binding, "roleRef", "kind"));
            var subject = (YamlMappingNode)Assert.Single(((YamlSequenceNode)binding.Children[new YamlScalarNode("subjects")]).Children);
            Assert.Equal(("snapper", "ops"), (Text(subject, "name"), Text(subject, "namespace")));
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    public void ABuiltInNamespaceIsNotEmitted(string ns)
    {
        var documents = Parse(RbacManifest.Build(RbacRole.Snapshot, "kubebackup", ns));
        Assert.DoesNotContain(documents, d => Text(d, "kind") == "Namespace");
        Assert.Equal(ns, Text(Find(documents, "ServiceAccount"), "metadata", "namespace"));
    }

    [Theory]
    [InlineData("Bad_Name", "kubebackup-system", null)]
    [InlineData("kubebackup", "Kube.Backup", null)]
    [InlineData("kubebackup", "kubebackup-system", "prod-")]
    [InlineData("kubebackup", "kubebackup-system", "")]
    [InlineData("", "kubebackup-system", null)]
    public void ANameThatIsNotADnsLabelIsRejectedWithTheBadValue(string account, string ns, string? target)
    {
        var bad = account.Length == 0 || account.Contains('_') ? account : ns.Contains('.') ? ns : target!;
        var e = Assert.Throws<KbException>(() => RbacManifest.Build(RbacRole.Snapshot, account, ns, target is null ? null : ["prod", target]));
        Assert.Equal(ErrorIds.RbacManifestInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Equal(bad, e.Target);
        Assert.Contains($"'{bad}'", e.Message);
    }

    [Theory]
    [InlineData("Snapshot")]
    [InlineData("snapshot")]
    public void RolesAreFoundByNameInAnyCase(string name)
    {
        Assert.Same(RbacRole.Snapshot, RbacRole.Find(name));
        Assert.Same(RbacRole.Backup, RbacRole.Find("BACKUP"));
        Assert.Null(RbacRole.Find("Everything"));
    }

    [Fact]
    public void TheBackupRoleReadsEverythingRunsHooksAndRetainsSnapshotsWithTargetsLimitingOnlyTheWrites()
    {
        var documents = Parse(RbacManifest.Build(RbacRole.Backup, "nightly", "ops", ["prod"]));

        Assert.Equal([("*", "*", "get,list"), ("snapshot.storage.k8s.io", "volumesnapshotcontents", "patch")], RulesOf(Find(documents, "ClusterRole")));
        Assert.Equal([("", "pods/exec", "get,create"), ("snapshot.storage.k8s.io", "volumesnapshots", "create")], RulesOf(Find(documents, "Role", "prod")));
        Assert.Equal("kubebackup-backup", Text(Find(documents, "ClusterRole"), "metadata", "name"));
        Assert.False(RbacRules.Allows(RbacRules.Backup, "", "secrets", "delete"));
        Assert.True(RbacRules.Allows(RbacRules.Backup, "example.com", "widgets", "list"));
    }
}
