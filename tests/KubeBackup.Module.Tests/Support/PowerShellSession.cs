using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KubeBackup.Module.Tests.Support;

/// <summary>
/// A runspace of the real PowerShell 7.6 engine with the BUILT module imported from out/KubeBackup.
/// Only Microsoft.PowerShell.Core cmdlets exist in this host (no Select-Object, Write-Output, ...).
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    private PowerShellSession(Runspace runspace)
    {
        _runspace = runspace;
    }

    /// <summary>
    /// A runspace with the module imported. <paramref name="prelude"/> runs first (to load conflicting assemblies);
    /// <paramref name="host"/> receives what the engine writes to the host (such as "What if:" lines).
    /// </summary>
    public static PowerShellSession Start(string? prelude = null, bool importModule = true, System.Management.Automation.Host.PSHost? host = null)
    {
        if (!File.Exists(Repo.ModuleManifest))
        {
            throw new InvalidOperationException($"The built module is missing at {Repo.ModuleManifest}: run 'dotnet build' first.");
        }
        var state = InitialSessionState.CreateDefault2();
        var runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        var session = new PowerShellSession(runspace);
        if (prelude is not null)
        {
            session.Invoke(prelude).ThrowIfErrors();
        }
        if (importModule)
        {
            session.Invoke("Import-Module $args[0] -ErrorAction Stop", Repo.ModuleManifest).ThrowIfErrors();
        }
        return session;
    }

    public PsResult Invoke(string script, params object?[] arguments) => Invoke(script, null, arguments);

    /// <summary>Runs a script; <paramref name="variables"/> become session variables (e.g. $kubeconfig).</summary>
    public PsResult Invoke(string script, IDictionary<string, object?>? variables, params object?[] arguments)
    {
        using var ps = CreateShell(script, variables, arguments);
        var result = new PsResult();
        try
        {
            result.Output.AddRange(ps.Invoke());
        }
        catch (RuntimeException e)
        {
            result.TerminatingError = e.ErrorRecord;
        }
        result.Collect(ps.Streams);
        return result;
    }

    /// <summary>Starts a script without waiting, for tests that stop it (Ctrl+C) midway.</summary>
    public System.Management.Automation.PowerShell BeginInvoke(string script, out IAsyncResult pending, params object?[] arguments)
    {
        var ps = CreateShell(script, null, arguments);
        pending = ps.BeginInvoke();
        return ps;
    }

    public void Dispose() => _runspace.Dispose();

    private System.Management.Automation.PowerShell CreateShell(string script, IDictionary<string, object?>? variables, object?[] arguments)
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                _runspace.SessionStateProxy.SetVariable(name, value);
            }
        }
        ps.AddScript(script);
        foreach (var argument in arguments)
        {
            ps.AddArgument(argument);
        }
        return ps;
    }
}

/// <summary>Everything a pipeline produced, stream by stream.</summary>
public sealed class PsResult
{
    public List<PSObject> Output { get; } = [];

    public List<ErrorRecord> Errors { get; } = [];

    public List<ProgressRecord> Progress { get; } = [];

    public List<string> Verbose { get; } = [];

    public List<string> Warnings { get; } = [];

    public ErrorRecord? TerminatingError { get; set; }

    /// <summary>Every error, terminating or not.</summary>
    public IEnumerable<ErrorRecord> AllErrors => TerminatingError is null ? Errors : Errors.Append(TerminatingError);

    internal void Collect(PSDataStreams streams)
    {
        Errors.AddRange(streams.Error);
        Progress.AddRange(streams.Progress);
        Verbose.AddRange(streams.Verbose.Select(v => v.Message));
        Warnings.AddRange(streams.Warning.Select(w => w.Message));
    }

    public PsResult ThrowIfErrors()
    {
        var errors = AllErrors.ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("PowerShell reported errors:\n" + string.Join("\n",
                errors.Select(e => $"[{e.FullyQualifiedErrorId}] {e.Exception?.Message}\n{e.ScriptStackTrace}")));
        }
        return this;
    }

    /// <summary>The single error the pipeline reported (terminating or not).</summary>
    public ErrorRecord SingleError()
    {
        var errors = AllErrors.ToList();
        Assert.True(errors.Count == 1, $"Expected one error, got {errors.Count}: {string.Join("; ", errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception?.Message))}");
        return errors[0];
    }
}
