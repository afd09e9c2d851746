namespace KubeBackup.Commands;

/// <summary>What a failover's script blocks receive as their argument: <c>param($Failover)</c> then <c>$Failover.DrContext</c>.</summary>
public sealed record FailoverStepContext(string DrContext, string? PrimaryContext, string? Kubeconfig, IReadOnlyList<string> Namespaces);
