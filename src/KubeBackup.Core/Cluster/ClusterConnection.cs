using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster;

/// <summary>
/// A resolved connection to one cluster: which context, which server, and the client configuration.
/// Resolution follows kubectl: -Kubeconfig, else KUBECONFIG, else ~/.kube/config, else the pod's
/// service account. Every failure is a <see cref="KbException"/> with a stable id.
/// </summary>
public sealed class ClusterConnection
{
    private ClusterConnection(string contextName, string server, string @namespace, string? user, string source, KubernetesClientConfiguration configuration)
    {
        ContextName = contextName;
        Server = server;
        Namespace = @namespace;
        User = user;
        Source = source;
        Configuration = configuration;
    }

    public string ContextName { get; }

    public string Server { get; }

    /// <summary>The context's default namespace ("default" when it names none).</summary>
    public string Namespace { get; }

    public string? User { get; }

    /// <summary>Where the settings came from, for people (a path, "KUBECONFIG (...)", "in-cluster").</summary>
    public string Source { get; }

    internal KubernetesClientConfiguration Configuration { get; }

    public static ClusterConnection Open(ClusterConnectionOptions options) =>
        Open(options, ClusterEnvironment.FromProcess(), Environment.CurrentDirectory);

    public static ClusterConnection Open(ClusterConnectionOptions options, ClusterEnvironment environment, string currentDirectory)
    {
        var loaded = KubeconfigLoader.Load(options.Kubeconfig, environment, currentDirectory);
        if (loaded is null)
        {
            return OpenInCluster(options, environment);
        }

        var contextName = SelectContext(loaded, options.Context);
        var context = loaded.Configuration.Contexts.First(c => c.Name == contextName);
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(loaded.Configuration, contextName);
        }
        catch (KubeConfigException e)
        {
            throw new KbException(ErrorIds.KubeconfigInvalid, KbErrorCategory.InvalidData, contextName,
                $"Context '{contextName}' in {loaded.Origin} is incomplete: {e.Message}", e);
        }

        return new ClusterConnection(contextName, configuration.Host, context.ContextDetails?.Namespace ?? "default",
            context.ContextDetails?.User, loaded.Origin, configuration);
    }

    /// <summary>The contexts of the kubeconfig the options resolve to.</summary>
    public static IReadOnlyList<KubeContextInfo> ListContexts(string? kubeconfig, ClusterEnvironment environment, string currentDirectory)
    {
        var loaded = KubeconfigLoader.Load(kubeconfig, environment, currentDirectory)
            ?? throw new KbException(ErrorIds.KubeconfigNotFound, KbErrorCategory.ObjectNotFound, environment.DefaultKubeconfigPath,
                $"No kubeconfig found: -Kubeconfig was not given, KUBECONFIG is not set and '{environment.DefaultKubeconfigPath}' does not exist.");
        var clusters = (loaded.Configuration.Clusters ?? []).ToDictionary(c => c.Name, c => c.ClusterEndpoint?.Server, StringComparer.Ordinal);
        return (loaded.Configuration.Contexts ?? [])
            .Select(c => new KubeContextInfo(
                c.Name,
                c.ContextDetails?.Cluster,
                c.ContextDetails?.Cluster is { } cluster && clusters.TryGetValue(cluster, out var server) ? server : null,
                c.ContextDetails?.User,
                c.ContextDetails?.Namespace,
                c.Name == loaded.Configuration.CurrentContext,
                loaded.Origin,
                loaded.Paths))
            .ToList();
    }

    /// <summary>A client for this connection. The caller disposes it.</summary>
    public IKubernetes CreateClient() => new Kubernetes(Configuration);

    private static string SelectContext(LoadedKubeconfig loaded, string? requested)
    {
        var contexts = (loaded.Configuration.Contexts ?? Enumerable.Empty<Context>()).Select(c => c.Name).ToList();
        var name = string.IsNullOrEmpty(requested) ? loaded.Configuration.CurrentContext : requested;
        if (string.IsNullOrEmpty(name))
        {
            throw new KbException(ErrorIds.ContextNotFound, KbErrorCategory.ObjectNotFound, loaded.Origin,
                $"{loaded.Origin} sets no current-context. Pass -Context with one of: {Names(contexts)}.");
        }
        if (!contexts.Contains(name, StringComparer.Ordinal))
        {
            throw new KbException(ErrorIds.ContextNotFound, KbErrorCategory.ObjectNotFound, name,
                $"Context '{name}' was not found in {loaded.Origin}. Available contexts: {Names(contexts)}.");
        }
        return name;
    }

    private static ClusterConnection OpenInCluster(ClusterConnectionOptions options, ClusterEnvironment environment)
    {
        if (!environment.IsInCluster)
        {
            throw new KbException(ErrorIds.NoClusterConfigured, KbErrorCategory.ObjectNotFound, environment.DefaultKubeconfigPath,
                $"No cluster is configured: -Kubeconfig was not given, KUBECONFIG is not set, '{environment.DefaultKubeconfigPath}' does not exist, and this is not a pod with a service account.");
        }
        if (!string.IsNullOrEmpty(options.Context) && options.Context != InClusterConfig.ContextName)
        {
            throw new KbException(ErrorIds.ContextNotFound, KbErrorCategory.ObjectNotFound, options.Context,
                $"Context '{options.Context}' was not found: no kubeconfig exists, only the pod's service account ('{InClusterConfig.ContextName}').");
        }
        var configuration = InClusterConfig.Build(environment, out var @namespace);
        return new ClusterConnection(InClusterConfig.ContextName, configuration.Host, @namespace, "serviceaccount", InClusterConfig.ContextName, configuration);
    }

    private static string Names(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? "(none)" : string.Join(", ", names.Select(n => $"'{n}'"));
}
