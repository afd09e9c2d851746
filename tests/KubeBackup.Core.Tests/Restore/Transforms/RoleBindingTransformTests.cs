using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class RoleBindingTransformTests
{
    private const string Subjects = """
        [ { "kind": "ServiceAccount", "name": "builder", "namespace": "ci" },
          { "kind": "ServiceAccount", "name": "monitor", "namespace": "observability" },
          { "apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice@example.com" },
          { "apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "ci" } ]
        """;

    private static readonly Dictionary<string, string> Mapping = new() { ["ci"] = "ci-restored" };

    [Fact]
    public void RoleBindingServiceAccountSubjectsFollowTheMapping()
    {
        var item = Parse($$"""
            { "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
              "metadata": { "name": "builder-edit", "namespace": "ci", "uid": "r1" },
              "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit" },
              "subjects": {{Subjects}} }
            """);
        var created = Created(new ItemKey("rbac.authorization.k8s.io", "v1", "rolebindings", "ci", "builder-edit"), item, Context(mapping: Mapping));
        Assert.Equal("ci-restored", Text(created["metadata"]!["namespace"]));
        AssertJson("""
            [ { "kind": "ServiceAccount", "name": "builder", "namespace": "ci-restored" },
              { "kind": "ServiceAccount", "name": "monitor", "namespace": "observability" },
              { "apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice@example.com" },
              { "apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "ci" } ]
            """, created["subjects"]);
        AssertJson("""{ "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit" }""", created["roleRef"]);
    }

    [Fact]
    public void ClusterRoleBindingServiceAccountSubjectsFollowTheMapping()
    {
        var item = Parse($$"""
            { "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
              "metadata": { "name": "builder-admin" },
              "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin" },
              "subjects": {{Subjects}} }
            """);
        var created = Created(new ItemKey("rbac.authorization.k8s.io", "v1", "clusterrolebindings", null, "builder-admin"), item, Context(mapping: Mapping));
        Assert.Equal("ci-restored", Text(created["subjects"]![0]!["namespace"]));
        Assert.Equal("observability", Text(created["subjects"]![1]!["namespace"]));
        Assert.Equal("ci", Text(created["subjects"]![3]!["name"]));
    }
}
