namespace KubeApiEmulator.Hosting;

/// <summary>A kubeconfig with one cluster, one token user and one current context.</summary>
public static class Kubeconfig
{
    public static string Build(Uri server, string contextName, string token) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{contextName}}
          cluster:
            server: {{server.GetLeftPart(UriPartial.Authority)}}
        users:
        - name: {{contextName}}-admin
          user:
            token: {{token}}
        contexts:
        - name: {{contextName}}
          context:
            cluster: {{contextName}}
            user: {{contextName}}-admin
            namespace: default
        current-context: {{contextName}}
        preferences: {}

        """;
}
