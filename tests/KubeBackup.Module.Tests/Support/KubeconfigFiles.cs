namespace KubeBackup.Module.Tests.Support;

/// <summary>Kubeconfig documents for connection tests.</summary>
internal static class KubeconfigFiles
{
    public static string For(string server, string context, string token = "test-token", string? @namespace = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {context}-cluster
          cluster:
            server: {server}
        users:
        - name: {context}-user
          user:
            token: {token}
        contexts:
        - name: {context}
          context:
            cluster: {context}-cluster
            user: {context}-user{(@namespace is null ? "" : $"\n    namespace: {@namespace}")}
        current-context: {context}
        """;

    public static string Write(string directory, string fileName, string text)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, text);
        return path;
    }
}
