using System.Management.Automation;

namespace KubeBackup.Module.Tests.Help;

/// <summary>
/// A cmdlet that exists only to carry <see cref="SamplePage"/>'s help into a runspace, so the builder's
/// MAML is read by the real Get-Help without needing the module's cmdlets.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbHelpSample", DefaultParameterSetName = "ByName")]
public sealed class SampleHelpCmdlet : PSCmdlet
{
    [Parameter(ParameterSetName = "ByName", Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = "ById", Mandatory = true)]
    public int Id { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }
}
