using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Rbac;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Writes the least-privilege RBAC (ServiceAccount, roles, bindings) for a service account that runs one role's
/// KubeBackup cmdlets, as YAML for <c>kubectl apply -f -</c>. Contacts no cluster.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbRbacManifest")]
[OutputType(typeof(string))]
public sealed class GetKbRbacManifestCommand : AsyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("Snapshot", "Backup", "Failover")]
    public string Role { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ServiceAccount { get; set; } = RbacManifest.DefaultServiceAccount;

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = RbacManifest.DefaultNamespace;

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? TargetNamespace { get; set; }

    // Nothing comes from the pipeline: a bad name stops the command.
    protected override bool ItemFailuresAreTerminating => true;

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var role = RbacRole.Find(Role) ?? throw new PSArgumentException($"Unknown role '{Role}'.", nameof(Role));
        Emit(RbacManifest.Build(role, ServiceAccount, Namespace, TargetNamespace));
        return Task.CompletedTask;
    }
}
