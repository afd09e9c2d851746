using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>-Kubeconfig, -Context and KUBECONFIG through the real engine; every bad input gets a stable error id.</summary>
[Collection(ModuleCollection.Name)]
public sealed class ConnectionTests : IDisposable
{
    private const string Secret = "s3cr3t-t0ken-never-shown";

    private readonly ModuleFixture _fixture;
    private readonly PowerShellSession _session = PowerShellSession.Start();
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-connection-").FullName;

    public ConnectionTests(ModuleFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void KubeconfigTextConnects()
    {
        var result = _session.Invoke("Test-KbConnection -Kubeconfig $args[0]", _fixture.Emulator.KubeconfigText).ThrowIfErrors();
        var status = result.Output.Single();
        Assert.True((bool)status.Properties["Reachable"].Value);
        Assert.Equal("emulator", status.Properties["Context"].Value);
        Assert.StartsWith("v1.", (string)status.Properties["KubernetesVersion"].Value);
    }

    [Fact]
    public void KubeconfigPathConnectsAndQuietSaysTrue()
    {
        var result = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Quiet", _fixture.Emulator.KubeconfigPath).ThrowIfErrors();
        Assert.Equal(true, result.Output.Single().BaseObject);
    }

    [Fact]
    public void ContextsPipeIntoTestKbConnection()
    {
        var result = _session.Invoke("Get-KbContext -Kubeconfig $args[0] | Test-KbConnection", _fixture.Emulator.KubeconfigPath).ThrowIfErrors();
        Assert.True((bool)result.Output.Single().Properties["Reachable"].Value);
    }

    [Fact]
    public void KubeconfigVariableWithSeveralFilesIsMerged()
    {
        var first = KubeconfigFiles.Write(_directory, "first", KubeconfigFiles.For("http://127.0.0.1:1", "unused"));
        var second = KubeconfigFiles.Write(_directory, "second", _fixture.Emulator.KubeconfigText);
        var missing = Path.Combine(_directory, "missing");
        var variable = string.Join(Path.PathSeparator, first, missing, second);
        var result = _session.Invoke("""
            $saved = $env:KUBECONFIG
            try {
                $env:KUBECONFIG = $args[0]
                Get-KbContext
                Test-KbConnection -Context emulator
            } finally { $env:KUBECONFIG = $saved }
            """, variable).ThrowIfErrors();

        var contexts = result.Output.Take(2).ToList();
        Assert.Equal(["unused", "emulator"], contexts.Select(c => (string)c.Properties["Name"].Value));
        Assert.True((bool)contexts[0].Properties["IsCurrent"].Value); // the first file's current-context wins, as in kubectl
        Assert.True((bool)result.Output[2].Properties["Reachable"].Value);
    }

    [Fact]
    public void MissingKubeconfigFile()
    {
        var path = Path.Combine(_directory, "nope");
        var error = _session.Invoke("Test-KbConnection -Kubeconfig $args[0]", path).SingleError();
        Assert.Equal("KubeconfigNotFound,KubeBackup.Commands.TestKbConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
    }

    [Theory]
    [InlineData("this is: [not a kubeconfig\n  - at all")]
    [InlineData("apiVersion: v1\nkind: Config\n")]
    public void InvalidKubeconfigText(string text)
    {
        var error = _session.Invoke("Get-KbContext -Kubeconfig $args[0]", text).SingleError();
        Assert.Equal("KubeconfigInvalid,KubeBackup.Commands.GetKbContextCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("<kubeconfig text>", error.TargetObject);
    }

    [Fact]
    public void InvalidKubeconfigFile()
    {
        var path = KubeconfigFiles.Write(_directory, "broken", "clusters: [ {name: a, cluster: {server: \n");
        var error = _session.Invoke("Test-KbConnection -Kubeconfig $args[0]", path).SingleError();
        Assert.Equal("KubeconfigInvalid,KubeBackup.Commands.TestKbConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(path, error.TargetObject);
    }

    [Fact]
    public void MissingContextNamesTheAvailableOnes()
    {
        var error = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Context prod", _fixture.Emulator.KubeconfigPath).SingleError();
        Assert.Equal("ContextNotFound,KubeBackup.Commands.TestKbConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("prod", error.TargetObject);
        Assert.Contains("'emulator'", error.Exception.Message);
    }

    [Fact]
    public void GetKbContextReportsANamedContextThatIsMissing()
    {
        var result = _session.Invoke("Get-KbContext -Kubeconfig $args[0] -Name emulator, prod, dr*", _fixture.Emulator.KubeconfigPath);
        Assert.Single(result.Output);
        Assert.Equal("ContextNotFound,KubeBackup.Commands.GetKbContextCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void UnreachableServer()
    {
        var kubeconfig = KubeconfigFiles.For($"http://127.0.0.1:{FreePort()}", "down", Secret);
        var result = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Verbose", kubeconfig);
        var error = result.SingleError();
        Assert.Equal("ClusterUnreachable,KubeBackup.Commands.TestKbConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("down", error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.False(string.IsNullOrEmpty(error.Exception.Message));
        Assert.DoesNotContain("   at ", error.Exception.Message); // a message, not a stack trace

        var quiet = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Quiet", kubeconfig);
        Assert.Empty(quiet.AllErrors);
        Assert.Equal(false, quiet.Output.Single().BaseObject);
    }

    [Fact]
    public void RefusedCredentials()
    {
        var kubeconfig = System.Text.RegularExpressions.Regex.Replace(_fixture.Emulator.KubeconfigText, @"token: \S+", $"token: {Secret}");
        Assert.Contains(Secret, kubeconfig);
        var error = _session.Invoke("Test-KbConnection -Kubeconfig $args[0]", kubeconfig).SingleError();
        Assert.Equal("ClusterUnauthorized,KubeBackup.Commands.TestKbConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal("emulator", error.TargetObject);
        Assert.DoesNotContain(Secret, error.Exception.Message);
    }

    [Fact]
    public void CredentialsNeverAppearInErrorsOrVerboseOutput()
    {
        var kubeconfig = KubeconfigFiles.For($"http://127.0.0.1:{FreePort()}", "down", Secret);
        var results = new[]
        {
            _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Verbose", kubeconfig),
            _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Context nope -Verbose", kubeconfig),
            _session.Invoke("Get-KbContext -Kubeconfig $args[0] -Name nope -Verbose", kubeconfig),
            _session.Invoke("Get-KbContext -Kubeconfig $args[0]", kubeconfig.Replace("kind: Config", "kind: [Config")),
        };
        var everything = results.SelectMany(r => r.AllErrors.Select(e => $"{e.Exception.Message} {e.TargetObject} {e.ErrorDetails?.Message}")
            .Concat(r.Verbose).Concat(r.Warnings).Concat(r.Output.Select(o => string.Join(" ", o.Properties.Select(p => p.Value)))));
        Assert.All(everything, text => Assert.DoesNotContain(Secret, text));
        Assert.All(results, r => Assert.NotEmpty(r.AllErrors));
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("1m30s")]
    [InlineData("00:00:45")]
    public void TimeoutTakesVeleroDurationsAndTimeSpans(string timeout)
    {
        var result = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Timeout $args[1]", _fixture.Emulator.KubeconfigPath, timeout).ThrowIfErrors();
        Assert.Single(result.Output);
    }

    [Theory]
    [InlineData("3s", "00:00:03")]
    [InlineData("7d", "7.00:00:00")]
    [InlineData("90", "00:01:30")]
    [InlineData("720h", "30.00:00:00")]
    [InlineData("'1h30m'", "01:30:00")]
    public void BareDurationLiteralsMeanWhatTheySay(string literal, string expected)
    {
        // 3s and 7d are PowerShell number literals (short 3, decimal 7); the transformation must read them as typed.
        var result = _session.Invoke($"function Get-Duration {{ param([KubeBackup.Infrastructure.DurationTransformation()][TimeSpan] $Value) $Value }}; Get-Duration {literal}").ThrowIfErrors();
        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Output.Single().BaseObject);
    }

    [Theory]
    [InlineData("-5s", "ParameterArgumentValidationError")]
    [InlineData("0s", "ParameterArgumentValidationError")]
    [InlineData("soon", "ParameterArgumentTransformationError")]
    public void BadTimeoutIsRejectedAtBinding(string timeout, string errorId)
    {
        var error = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Timeout $args[1]", _fixture.Emulator.KubeconfigPath, timeout).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void ContextCompletesFromTheKubeconfig()
    {
        var path = KubeconfigFiles.Write(_directory, "two", KubeconfigFiles.For("http://127.0.0.1:1", "prod west"));
        var input = $"Test-KbConnection -Kubeconfig '{path}' -Context pro";
        var result = _session.Invoke("[System.Management.Automation.CommandCompletion]::CompleteInput($args[0], $args[0].Length, $null).CompletionMatches", input).ThrowIfErrors();
        Assert.Equal("'prod west'", result.Output.Single().Properties["CompletionText"].Value);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
