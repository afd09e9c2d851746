using k8s;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Tests;

/// <summary>The real kubectl against the emulator: what it prints and what the objects look like afterwards.</summary>
public sealed class KubectlTests
{
    private const string App = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports:
                - containerPort: 80
                env:
                - name: MODE
                  value: "one"
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: shop
          labels: {app: web}
        data:
          color: blue
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          selector: {app: web}
          ports:
          - port: 80
            targetPort: 8080
        """;

    [Fact]
    public async Task Create_then_get_json_matches_the_real_server_shape()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        var file = k.WriteFile("app.yaml", App);
        var created = await k.OkAsync("create", "-f", file);
        Assert.Contains("deployment.apps/web created", created);
        Assert.Contains("namespace/shop created", created);

        var d = await k.JsonAsync("get", "deployment", "web", "-n", "shop");
        Assert.Equal("Deployment", (string?)d["kind"]);
        Assert.Equal("apps/v1", (string?)d["apiVersion"]);
        Assert.Equal(1, (int)d["metadata"]!["generation"]!);
        Assert.False(string.IsNullOrEmpty((string?)d["metadata"]!["uid"]));
        Assert.Equal("RollingUpdate", (string?)d["spec"]!["strategy"]!["type"]);
        Assert.Equal(10, (int)d["spec"]!["revisionHistoryLimit"]!);
        Assert.Equal("TCP", (string?)d["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]);

        var svc = await k.JsonAsync("get", "svc", "web", "-n", "shop");
        Assert.StartsWith("10.9", (string?)svc["spec"]!["clusterIP"]);
        var list = await k.JsonAsync("get", "cm", "-n", "shop", "-l", "app=web");
        Assert.Equal("List", (string?)list["kind"]);
        Assert.Equal(["settings"], list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));

        var (code, _, stderr) = await k.RunAsync("create", "-f", file);
        Assert.NotEqual(0, code);
        Assert.Contains("AlreadyExists", stderr);
    }

    [Fact]
    public async Task Apply_twice_is_unchanged_and_a_change_is_configured_by_strategic_merge()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        var file = k.WriteFile("app.yaml", App);
        Assert.Contains("deployment.apps/web created", await k.OkAsync("apply", "-f", file));
        Assert.Contains("deployment.apps/web unchanged", await k.OkAsync("apply", "-f", file));
        k.WriteFile("app.yaml", App.Replace("value: \"one\"", "value: \"two\""));
        var changed = await k.OkAsync("apply", "-f", file);
        Assert.Contains("deployment.apps/web configured", changed);
        Assert.Contains("configmap/settings unchanged", changed);
        var d = await k.JsonAsync("get", "deployment", "web", "-n", "shop");
        Assert.Equal("two", (string?)d["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]);
        Assert.Equal(2, (int)d["metadata"]!["generation"]!);
        Assert.NotNull(d["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);
    }

    [Fact]
    public async Task Server_side_apply_is_accepted()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        var file = k.WriteFile("app.yaml", App);
        Assert.Contains("deployment.apps/web serverside-applied", await k.OkAsync("apply", "--server-side", "-f", file));
        k.WriteFile("app.yaml", App.Replace("color: blue", "color: green\n  size: large"));
        await k.OkAsync("apply", "--server-side", "-f", file);
        var cm = await k.JsonAsync("get", "cm", "settings", "-n", "shop");
        Assert.Equal("green", (string?)cm["data"]!["color"]);
        Assert.Equal("large", (string?)cm["data"]!["size"]);
        k.WriteFile("app.yaml", App);
        await k.OkAsync("apply", "--server-side", "-f", file);
        cm = await k.JsonAsync("get", "cm", "settings", "-n", "shop");
        Assert.Equal("blue", (string?)cm["data"]!["color"]);
        Assert.Null(cm["data"]!["size"]);
    }

    [Fact]
    public async Task Plain_get_prints_the_server_side_table()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        await k.OkAsync("create", "-f", k.WriteFile("app.yaml", App));
        await TestCluster.Eventually(async () => (await k.OkAsync("get", "deploy", "-n", "shop")).Contains("2/2"), "ready column");
        var lines = (await k.OkAsync("get", "deploy", "-n", "shop")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", lines[0]);
        Assert.Matches(@"^web\s+2/2\s+2\s+2\s+\d+s$", lines[1]);
        var ns = await k.OkAsync("get", "ns");
        Assert.Matches(@"(?m)^shop\s+Active\s+\d+s$", ns);
        var svc = await k.OkAsync("get", "svc", "-A");
        Assert.Matches(@"(?m)^shop\s+web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80/TCP\s+\d+s$", svc);
    }

    [Fact]
    public async Task Scale_changes_replicas_and_the_rollout_completes()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        await k.OkAsync("create", "-f", k.WriteFile("app.yaml", App));
        Assert.Contains("deployment.apps/web scaled", await k.OkAsync("scale", "deployment", "web", "-n", "shop", "--replicas=3"));
        var d = await k.JsonAsync("get", "deployment", "web", "-n", "shop");
        Assert.Equal(3, (int)d["spec"]!["replicas"]!);
        Assert.Contains("successfully rolled out", await k.OkAsync("rollout", "status", "deployment/web", "-n", "shop", "--timeout=20s"));
        d = await k.JsonAsync("get", "deployment", "web", "-n", "shop");
        Assert.Equal(3, (int)d["status"]!["readyReplicas"]!);
    }

    [Fact]
    public async Task Delete_file_and_delete_namespace_remove_everything()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.NamespaceDeletionDelay = TimeSpan.FromSeconds(2));
        using var k = new Kubectl(c.Server);
        var file = k.WriteFile("app.yaml", App);
        await k.OkAsync("create", "-f", file);
        var deleted = await k.OkAsync("delete", "-f", file);
        Assert.Contains("deployment.apps \"web\" deleted", deleted);
        Assert.Contains("namespace \"shop\" deleted", deleted);
        var (code, _, stderr) = await k.RunAsync("get", "ns", "shop");
        Assert.NotEqual(0, code);
        Assert.Contains("Error from server (NotFound): namespaces \"shop\" not found", stderr);

        await k.OkAsync("create", "-f", file);
        Assert.Contains("namespace \"shop\" deleted", await k.OkAsync("delete", "ns", "shop"));
        var all = await k.JsonAsync("get", "deploy", "-A");
        Assert.Empty(all["items"]!.AsArray());
    }

    [Fact]
    public async Task Custom_resources_are_usable_after_their_crd_is_created()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        await k.OkAsync("create", "-f", k.WriteFile("crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: backups.demo.example.com
            spec:
              group: demo.example.com
              scope: Namespaced
              names: {plural: backups, singular: backup, kind: Backup, shortNames: [bk]}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                additionalPrinterColumns:
                - {name: Target, type: string, jsonPath: .spec.target}
            """));
        await k.OkAsync("apply", "-f", k.WriteFile("cr.yaml", """
            apiVersion: demo.example.com/v1
            kind: Backup
            metadata: {name: nightly, namespace: default}
            spec: {target: s3}
            """));
        var table = await k.OkAsync("get", "bk");
        Assert.Matches(@"(?m)^NAME\s+TARGET\s+AGE$", table);
        Assert.Matches(@"(?m)^nightly\s+s3\s+\d+s$", table);
        var cr = await k.JsonAsync("get", "backup", "nightly");
        Assert.Equal("s3", (string?)cr["spec"]!["target"]);
        Assert.Contains("\"nightly\" deleted", await k.OkAsync("delete", "backup", "nightly"));
    }

    [Fact]
    public async Task Errors_come_back_as_kubectl_prints_them()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        var (code, _, stderr) = await k.RunAsync("get", "deployment", "nope");
        Assert.Equal(1, code);
        Assert.Contains("Error from server (NotFound): deployments.apps \"nope\" not found", stderr);
        var (typeCode, _, typeErr) = await k.RunAsync("get", "frobnicators");
        Assert.NotEqual(0, typeCode);
        Assert.Contains("the server doesn't have a resource type \"frobnicators\"", typeErr);
    }

    [Fact]
    public async Task Generators_that_send_protobuf_create_namespaces_config_maps_secrets_and_service_accounts()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        Assert.Contains("namespace/gen created", await k.OkAsync("create", "namespace", "gen"));
        Assert.Contains("configmap/conf created", await k.OkAsync("create", "configmap", "conf", "-n", "gen", "--from-literal=a=b", "--from-literal=c=d"));
        Assert.Contains("secret/pw created", await k.OkAsync("create", "secret", "generic", "pw", "-n", "gen", "--from-literal=password=s3cret"));
        Assert.Contains("serviceaccount/robot created", await k.OkAsync("create", "serviceaccount", "robot", "-n", "gen"));
        var cm = await c.Client.CoreV1.ReadNamespacedConfigMapAsync("conf", "gen");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" }, cm.Data);
        Assert.Null(cm.Metadata.GenerateName);
        var secret = await c.Client.CoreV1.ReadNamespacedSecretAsync("pw", "gen");
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(secret.Data["password"]));
        Assert.Equal("Opaque", secret.Type);
        Assert.NotNull(await c.Client.CoreV1.ReadNamespacedServiceAccountAsync("robot", "gen"));
    }

    [Fact]
    public async Task Exec_reaches_the_handler_registered_for_the_pod()
    {
        await using var c = await TestCluster.StartAsync();
        using var k = new Kubectl(c.Server);
        await k.OkAsync("apply", "-f", k.WriteFile("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: db-0, namespace: default}
            spec:
              containers:
              - {name: postgres, image: "postgres:16"}
            """));
        c.Server.Exec.Register("default", "db-0", KubeApiEmulator.Exec.ExecHandlers.Scripted("dumped\n"));
        Assert.Equal("dumped\n", await k.OkAsync("exec", "db-0", "--", "pg_dump", "app"));
    }
}
