using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KbShell;

// Usage: KbShell <script.ps1> [script arguments...]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("Usage: dotnet run --project tools/KbShell -- <script.ps1> [arguments]");
    return 2;
}

var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddScript($"& {ScriptArguments.Quote(Path.GetFullPath(args[0]))} {ScriptArguments.Join(args.Skip(1))} | Out-Default");
// The engine shows warnings, verbose and progress through the host itself; errors it leaves to the host.
ps.Streams.Error.DataAdded += (_, e) => host.UI.WriteErrorLine(ConsoleHost.Describe(ps.Streams.Error[e.Index]));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    ps.BeginStop(null, null);
};

try
{
    ps.Invoke();
}
catch (RuntimeException e)
{
    host.UI.WriteErrorLine(ConsoleHost.Describe(e.ErrorRecord));
    return 1;
}
return ps.HadErrors ? 1 : host.ExitCode;
