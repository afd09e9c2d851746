using k8s;
using System.Security.Cryptography.X509Certificates;
using k8s.Authentication;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster;

/// <summary>
/// The configuration a pod gets from its service account: the API server from KUBERNETES_SERVICE_HOST/PORT,
/// the token (re-read as the kubelet rotates it), the cluster CA and the pod's namespace.
/// </summary>
public static class InClusterConfig
{
    public const string ContextName = "in-cluster";

    public static KubernetesClientConfiguration Build(ClusterEnvironment environment, out string @namespace)
    {
        var directory = environment.ServiceAccountDirectory;
        var tokenPath = Path.Combine(directory, "token");
        var caPath = Path.Combine(directory, "ca.crt");
        var namespacePath = Path.Combine(directory, "namespace");
        if (string.IsNullOrEmpty(environment.ServiceHost) || !File.Exists(tokenPath))
        {
            throw new KbException(ErrorIds.InClusterConfigInvalid, KbErrorCategory.ObjectNotFound, directory,
                $"Not running in a pod with a service account: KUBERNETES_SERVICE_HOST is not set or '{tokenPath}' does not exist.");
        }

        var host = environment.ServiceHost.Contains(':') ? $"[{environment.ServiceHost}]" : environment.ServiceHost;
        var port = string.IsNullOrEmpty(environment.ServicePort) ? "443" : environment.ServicePort;
        var configuration = new KubernetesClientConfiguration
        {
            Host = $"https://{host}:{port}",
            TokenProvider = new TokenFileAuth(tokenPath),
        };
        if (File.Exists(caPath))
        {
            try
            {
                var certificates = new X509Certificate2Collection();
                certificates.ImportFromPemFile(caPath);
                if (certificates.Count == 0)
                {
                    throw new InvalidDataException("it holds no PEM certificate");
                }
                configuration.SslCaCerts = certificates;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new KbException(ErrorIds.InClusterConfigInvalid, KbErrorCategory.InvalidData, caPath,
                    $"The service account CA certificate '{caPath}' could not be read: {e.Message}", e);
            }
        }

        @namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default";
        configuration.Namespace = @namespace;
        return configuration;
    }
}
