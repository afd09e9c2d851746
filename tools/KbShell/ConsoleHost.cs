using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace KbShell;

/// <summary>Just enough of a PowerShell host for scripts that write output, warnings, progress and prompts.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUserInterface _ui = new();

    public int ExitCode { get; private set; }

    public override string Name => "KbShell";

    public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override void EnterNestedPrompt() => throw new NotSupportedException("KbShell has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("KbShell has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public static string Describe(ErrorRecord error) =>
        $"{error.Exception?.Message ?? error.ToString()}\n    [{error.FullyQualifiedErrorId}]" +
        (error.InvocationInfo?.PositionMessage is { Length: > 0 } position ? $"\n{position}" : string.Empty);
}
