using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Errors;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Connects to a cluster and asks the API server for its version: proves the kubeconfig, context,
/// network path and credentials work before a backup or a failover depends on them.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KbConnection", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(ClusterStatus))]
[OutputType(typeof(bool), ParameterSetName = [QuietSet])]
public sealed class TestKbConnectionCommand : ClusterCmdlet
{
    private const string DefaultSet = "Default";
    private const string QuietSet = "Quiet";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public override string? Context { get; set; }

    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan Timeout { get; set; } = ClusterProbe.DefaultTimeout;

    [Parameter(ParameterSetName = QuietSet, Mandatory = true)]
    public SwitchParameter Quiet { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var connection = OpenConnection();
        try
        {
            var status = await ClusterProbe.ProbeAsync(connection, Timeout, Sink, cancellationToken).ConfigureAwait(false);
            Emit(Quiet ? true : status);
        }
        catch (KbException e) when (e.ErrorId is ErrorIds.ClusterUnreachable or ErrorIds.ClusterUnauthorized or ErrorIds.ClusterRequestFailed)
        {
            // A failed probe is this cmdlet's answer, not a reason to stop the pipeline.
            if (Quiet)
            {
                Emit(false);
            }
            else
            {
                EmitError(e);
            }
        }
    }
}
