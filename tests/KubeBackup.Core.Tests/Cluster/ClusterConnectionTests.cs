using KubeBackup.Core.Cluster;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Tests.Cluster;

/// <summary>How a connection is resolved, with the environment described rather than taken from the process.</summary>
public sealed class ClusterConnectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-cluster-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ExplicitKubeconfigBeatsTheVariableAndTheDefaultFile()
    {
        var home = WriteHome(Kubeconfig("home", "http://home:1"));
        var variable = Write("variable", Kubeconfig("variable", "http://variable:1"));
        var environment = Environment(home, variable);

        Assert.Equal("home", ClusterConnection.Open(new(), environment with { KubeconfigVariable = null }, _directory).ContextName);
        Assert.Equal("variable", ClusterConnection.Open(new(), environment, _directory).ContextName);
        var explicitText = ClusterConnection.Open(new(Kubeconfig("text", "http://text:1")), environment, _directory);
        Assert.Equal("text", explicitText.ContextName);
        Assert.Equal("http://text:1", explicitText.Server);
        Assert.Equal("the kubeconfig text given to -Kubeconfig", explicitText.Source);
    }

    [Fact]
    public void RelativePathsResolveAgainstTheGivenDirectoryAndTildeAgainstHome()
    {
        var home = WriteHome(Kubeconfig("home", "http://home:1"));
        Write("local", Kubeconfig("local", "http://local:1"));
        var environment = Environment(home, null);

        Assert.Equal("local", ClusterConnection.Open(new("local"), environment, _directory).ContextName);
        Assert.Equal("home", ClusterConnection.Open(new("~/.kube/config"), environment, "/").ContextName);
    }

    [Fact]
    public void SeveralPathsMergeWithTheFirstWinning()
    {
        var first = Write("first", Kubeconfig("shared", "http://first:1"));
        var second = Write("second", Kubeconfig("shared", "http://second:1") + "\n# other\n");
        var third = Write("third", Kubeconfig("extra", "http://third:1", @namespace: "prod"));

        var connection = ClusterConnection.Open(new(string.Join(Path.PathSeparator, first, second, third)), Environment(_directory, null), _directory);
        Assert.Equal("http://first:1", connection.Server);

        var extra = ClusterConnection.Open(new(string.Join(Path.PathSeparator, first, third), "extra"), Environment(_directory, null), _directory);
        Assert.Equal("http://third:1", extra.Server);
        Assert.Equal("prod", extra.Namespace);
    }

    [Fact]
    public void MissingExplicitFileIsAnErrorButAMissingVariableEntryIsSkipped()
    {
        var present = Write("present", Kubeconfig("present", "http://present:1"));
        var missing = Path.Combine(_directory, "missing");

        var error = Assert.Throws<KbException>(() => ClusterConnection.Open(new(string.Join(Path.PathSeparator, present, missing)), Environment(_directory, null), _directory));
        Assert.Equal(ErrorIds.KubeconfigNotFound, error.ErrorId);
        Assert.Equal(missing, error.Target);

        Assert.Equal("present", ClusterConnection.Open(new(), Environment(_directory, string.Join(Path.PathSeparator, missing, present)), _directory).ContextName);

        var none = Assert.Throws<KbException>(() => ClusterConnection.Open(new(), Environment(_directory, missing), _directory));
        Assert.Equal(ErrorIds.KubeconfigNotFound, none.ErrorId);
    }

    [Fact]
    public void NothingConfiguredOutsideAPod()
    {
        var error = Assert.Throws<KbException>(() => ClusterConnection.Open(new(), Environment(_directory, null), _directory));
        Assert.Equal(ErrorIds.NoClusterConfigured, error.ErrorId);
        Assert.Equal(KbErrorCategory.ObjectNotFound, error.Category);
    }

    [Fact]
    public void InAPodTheServiceAccountIsUsed()
    {
        var serviceAccount = Directory.CreateDirectory(Path.Combine(_directory, "serviceaccount")).FullName;
        File.WriteAllText(Path.Combine(serviceAccount, "token"), "pod-token");
        File.WriteAllText(Path.Combine(serviceAccount, "namespace"), "backup-system\n");
        var environment = Environment(_directory, null) with { ServiceHost = "10.96.0.1", ServicePort = "443", ServiceAccountDirectory = serviceAccount };

        var connection = ClusterConnection.Open(new(), environment, _directory);

        Assert.Equal(InClusterConfig.ContextName, connection.ContextName);
        Assert.Equal("https://10.96.0.1:443", connection.Server.TrimEnd('/'));
        Assert.Equal("backup-system", connection.Namespace);
        Assert.NotNull(connection.Configuration.TokenProvider);

        var wrongContext = Assert.Throws<KbException>(() => ClusterConnection.Open(new(null, "prod"), environment, _directory));
        Assert.Equal(ErrorIds.ContextNotFound, wrongContext.ErrorId);
    }

    [Fact]
    public void AnUnreadableServiceAccountCertificateIsReported()
    {
        var serviceAccount = Directory.CreateDirectory(Path.Combine(_directory, "sa")).FullName;
        File.WriteAllText(Path.Combine(serviceAccount, "token"), "pod-token");
        File.WriteAllText(Path.Combine(serviceAccount, "ca.crt"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        var environment = Environment(_directory, null) with { ServiceHost = "10.96.0.1", ServiceAccountDirectory = serviceAccount };

        var error = Assert.Throws<KbException>(() => ClusterConnection.Open(new(), environment, _directory));
        Assert.Equal(ErrorIds.InClusterConfigInvalid, error.ErrorId);
    }

    [Fact]
    public void AContextThatNamesAMissingClusterIsInvalid()
    {
        var text = Kubeconfig("broken", "http://x:1").Replace("cluster: broken-cluster", "cluster: elsewhere");
        var error = Assert.Throws<KbException>(() => ClusterConnection.Open(new(text), Environment(_directory, null), _directory));
        Assert.Equal(ErrorIds.KubeconfigInvalid, error.ErrorId);
        Assert.Equal("broken", error.Target);
    }

    [Fact]
    public void NoCurrentContextAsksForOne()
    {
        var text = Kubeconfig("a", "http://x:1").Replace("current-context: a", string.Empty);
        var error = Assert.Throws<KbException>(() => ClusterConnection.Open(new(text), Environment(_directory, null), _directory));
        Assert.Equal(ErrorIds.ContextNotFound, error.ErrorId);
        Assert.Contains("-Context", error.Message);
        Assert.Equal("a", ClusterConnection.Open(new(text, "a"), Environment(_directory, null), _directory).ContextName);
    }

    [Fact]
    public void ListContextsMarksTheCurrentOneAndKeepsTextOutOfTheOutput()
    {
        var contexts = ClusterConnection.ListContexts(Kubeconfig("one", "http://one:1", @namespace: "web"), Environment(_directory, null), _directory);
        var context = Assert.Single(contexts);
        Assert.True(context.IsCurrent);
        Assert.Equal("http://one:1", context.Server);
        Assert.Equal("web", context.Namespace);
        Assert.Null(context.Kubeconfig);

        var path = Write("file", Kubeconfig("two", "http://two:1"));
        Assert.Equal(path, ClusterConnection.ListContexts(path, Environment(_directory, null), _directory).Single().Kubeconfig);
    }

    private ClusterEnvironment Environment(string home, string? variable) =>
        new(variable, home, null, null, Path.Combine(_directory, "no-serviceaccount"));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string WriteHome(string text)
    {
        var home = Directory.CreateDirectory(Path.Combine(_directory, "home", ".kube")).Parent!.FullName;
        File.WriteAllText(Path.Combine(home, ".kube", "config"), text);
        return home;
    }

    private static string Kubeconfig(string context, string server, string? @namespace = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {context}-cluster
          cluster:
            server: {server}
        users:
        - name: {context}-user
          user:
            token: token-{context}
        contexts:
        - name: {context}
          context:
            cluster: {context}-cluster
            user: {context}-user{(@namespace is null ? "" : $"\n    namespace: {@namespace}")}
        current-context: {context}
        """;
}
