using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>New-KbBackup through the hosted engine, against an emulator holding the demo shop.</summary>
[Collection(ModuleCollection.Name)]
public sealed class NewKbBackupTests : IAsyncLifetime, IDisposable
{
    private readonly IsolatedUserDirectories _user = new();
    private EmulatorProcess? _shop;
    private PowerShellSession? _session;

    private EmulatorProcess Shop => _shop!;

    private PowerShellSession Session => _session!;

    private string RepositoryDirectory => Path.Combine(_user.DataDirectory, "repository");

    public async Task InitializeAsync()
    {
        _shop = await EmulatorProcess.StartAsync("shop", "--load", Path.Combine(Repo.Root, "demo", "cluster"));
        _session = PowerShellSession.Start();
        Session.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }
    }

    public void Dispose() => _user.Dispose();

    [Fact]
    public void BacksUpTheClusterIntoTheDefaultLocationAndSaysWhere()
    {
        var result = Session.Invoke("New-KbBackup -Name first -Verbose").ThrowIfErrors();

        var backup = Assert.Single(result.Output);
        Assert.Equal("KubeBackup.Core.Backup.BackupSummary", backup.TypeNames[0]);
        Assert.Equal("Completed", backup.Properties["Phase"].Value.ToString());
        Assert.Equal("default", backup.Properties["StorageLocation"].Value);
        Assert.True((long)backup.Properties["ItemsBackedUp"].Value > 20);
        Assert.Contains(result.Verbose, v => v.Contains(RepositoryDirectory, StringComparison.Ordinal));
        Assert.NotEmpty(result.Progress);
        var record = ReadRecord("first");
        Assert.Equal("Completed", (string?)record["status"]!["phase"]);
        Assert.Equal(1, (long?)record["status"]!["resourceCounts"]!["statefulsets.apps"]);
    }

    [Fact]
    public void FiltersAndLabelsReachTheRecord()
    {
        var result = Session.Invoke("""
            New-KbBackup filtered -IncludeNamespace shop -ExcludeResource secrets -Selector 'app in (web,db)' -Ttl 7d -Label @{ trigger = 'test' } -IncludeClusterResources:$false
            """).ThrowIfErrors();

        var backup = Assert.Single(result.Output);
        Assert.Equal(TimeSpan.FromDays(7), (DateTimeOffset)backup.Properties["Expires"].Value - (DateTimeOffset)backup.Properties["Started"].Value);
        var spec = ReadRecord("filtered")["spec"]!;
        Assert.Equal("shop", (string?)spec["includedNamespaces"]![0]);
        Assert.Equal("app in (web,db)", (string?)spec["labelSelector"]);
        Assert.False((bool?)spec["includeClusterResources"]);
        Assert.Equal("test", (string?)ReadRecord("filtered")["labels"]!["trigger"]);
        var counts = ReadRecord("filtered")["status"]!["resourceCounts"]!.AsObject();
        Assert.False(counts.ContainsKey("secrets"));
        Assert.True(counts.ContainsKey("deployments.apps"));
    }

    [Fact]
    public void WhatIfListsWhatWouldBeBackedUpAndWritesNothing()
    {
        var result = Session.Invoke("New-KbBackup -IncludeNamespace shop* -WhatIf").ThrowIfErrors();

        Assert.All(result.Output, row => Assert.Equal("KubeBackup.Core.Backup.BackupPreviewRow", row.TypeNames[0]));
        Assert.Contains(result.Output, row => (string?)row.Properties["Namespace"].Value == "shop-staging" && (string)row.Properties["Resource"].Value == "deployments.apps");
        Assert.False(Directory.Exists(RepositoryDirectory));
    }

    [Fact]
    public void AnExistingNameIsAnErrorAndTheBackupIsKept()
    {
        Session.Invoke("New-KbBackup taken -IncludeNamespace shop-staging").ThrowIfErrors();
        var before = File.ReadAllText(RecordPath("taken"));

        var error = Session.Invoke("New-KbBackup taken").SingleError();

        Assert.Equal("BackupAlreadyExists", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal("taken", error.TargetObject);
        Assert.Equal(before, File.ReadAllText(RecordPath("taken")));
    }

    [Theory]
    [InlineData("New-KbBackup -Selector 'app in (web'", "LabelSelectorInvalid")]
    [InlineData("New-KbBackup -Spec \"apiVersion: velero.io/v1`nkind: Backup`nspec: [unclosed\"", "SpecYamlInvalid")]
    [InlineData("New-KbBackup -Spec ./no-such-backup.yaml", "SpecFileNotFound")]
    [InlineData("New-KbBackup -Hook @{ Name = 'x'; Pre = @{ Commnd = 'sync' } }", "BackupSpecInvalid")]
    [InlineData("New-KbBackup -Selector app=web -OrSelector tier=db", "BackupSpecInvalid")]
    [InlineData("New-KbBackup -Name 'bad/name'", "BackupNameInvalid")]
    public void BadInputIsAnErrorWithItsIdAndNothingIsWritten(string script, string errorId)
    {
        var error = Session.Invoke(script).SingleError();

        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.False(Directory.Exists(Path.Combine(RepositoryDirectory, "backups")) && Directory.EnumerateDirectories(Path.Combine(RepositoryDirectory, "backups")).Any());
    }

    [Fact]
    public void AZeroTtlIsRejectedWhenBinding()
    {
        var result = Session.Invoke("New-KbBackup -Ttl 0s");

        Assert.Contains("greater than zero", result.AllErrors.Single().Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVeleroManifestNamesTheBackupAndUnknownNamespacesWarn()
    {
        var spec = Path.Combine(_user.Root, "backup.yaml");
        File.WriteAllText(spec, """
            apiVersion: velero.io/v1
            kind: Backup
            metadata:
              name: from-manifest
              namespace: velero
            spec:
              includedNamespaces: [shop, shop-prod]
              excludedResources: [events, events.events.k8s.io]
              labelSelector:
                matchLabels: {app: web}
              ttl: 168h0m0s
              volumeSnapshotLocations: [default]
            """);

        var result = Session.Invoke("New-KbBackup -Spec $args[0]", spec);

        Assert.Empty(result.AllErrors);
        var backup = Assert.Single(result.Output);
        Assert.Equal("from-manifest", backup.Properties["Name"].Value);
        Assert.Contains(result.Warnings, w => w.Contains("volumeSnapshotLocations", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("shop-prod", StringComparison.Ordinal));
        Assert.Equal(1, (int)backup.Properties["Warnings"].Value);
    }

    [Fact]
    public void ABackupOfAnUnchangedClusterAddsAlmostNothing()
    {
        var first = Session.Invoke("New-KbBackup one -IncludeNamespace shop").ThrowIfErrors().Output.Single();
        var second = Session.Invoke("New-KbBackup two -IncludeNamespace shop").ThrowIfErrors().Output.Single();

        Assert.Equal("one", second.Properties["Parent"].Value);
        Assert.True((long)second.Properties["SizeAdded"].Value * 3 < (long)first.Properties["SizeAdded"].Value,
            $"first added {first.Properties["SizeAdded"].Value} bytes, second {second.Properties["SizeAdded"].Value}");
    }

    [Fact]
    public async Task CtrlCRecordsAFailedBackupAndLeavesNoLock()
    {
        await using var big = await EmulatorProcess.StartAsync("big", "--synthetic", "20000");
        using var listing = new ManualResetEventSlim();
        using var ps = Session.BeginInvoke("New-KbBackup stopped -Kubeconfig $args[0] -Verbose", out var pending, big.KubeconfigPath);
        // Stop once objects are being listed: the backup has started and is writing.
        ps.Streams.Progress.DataAdded += (_, e) =>
        {
            if (ps.Streams.Progress[e.Index].Activity == "Listing cluster resources")
            {
                listing.Set();
            }
        };

        Assert.True(listing.Wait(TimeSpan.FromSeconds(60)), "The backup never reported listing progress.");
        ps.Stop();

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
        Assert.True(File.Exists(RecordPath("stopped")), string.Join("\n", ps.Streams.Warning.Select(w => "W " + w.Message).Concat(ps.Streams.Verbose.Select(v => "V " + v.Message)).TakeLast(30)));
        var record = ReadRecord("stopped");
        Assert.Equal("Failed", (string?)record["status"]!["phase"]);
        Assert.StartsWith("Cancelled", (string?)record["status"]!["failureReason"], StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(RepositoryDirectory, "locks")));
        // The next backup works.
        Assert.Equal("Completed", Session.Invoke("New-KbBackup after -IncludeNamespace shop").ThrowIfErrors().Output.Single().Properties["Phase"].Value.ToString());
    }

    [Fact]
    public async Task ThrottlingIsRetriedAndAResourceThatKeepsFailingIsNamedInAPartialFailure()
    {
        await using var flaky = await EmulatorProcess.StartAsync("flaky", "--load", Path.Combine(Repo.Root, "demo", "cluster"),
            "--fault", "throttle:list:secrets:2", "--fault", "error:list:configmaps");

        var result = Session.Invoke("New-KbBackup flaky -Kubeconfig $args[0] -IncludeNamespace shop", flaky.KubeconfigPath);

        var backup = Assert.Single(result.Output);
        Assert.Equal("PartiallyFailed", backup.Properties["Phase"].Value.ToString());
        var error = result.SingleError();
        Assert.Equal("BackupPartiallyFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("configmaps", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.StartsWith("Error: configmaps: Not backed up: Listing configmaps", StringComparison.Ordinal));
        var counts = ReadRecord("flaky")["status"]!["resourceCounts"]!.AsObject();
        Assert.Equal(2, (long?)counts["secrets"]);
        Assert.False(counts.ContainsKey("configmaps"));
    }

    [Fact]
    public async Task StorageThatFailsMidBackupLeavesNothingVisibleAndTheNextBackupWorks()
    {
        var savedKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var savedSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        var s3 = await S3rverProcess.StartAsync();
        try
        {
            var url = s3.Url("crash");
            await using var big = await EmulatorProcess.StartAsync("big", "--synthetic", "20000");
            using var listing = new ManualResetEventSlim();
            using var ps = Session.BeginInvoke("New-KbBackup broken -Kubeconfig $args[0] -StorageLocation $args[1]", out var pending, big.KubeconfigPath, url);
            ps.Streams.Progress.DataAdded += (_, e) =>
            {
                if (ps.Streams.Progress[e.Index].Activity == "Listing cluster resources")
                {
                    listing.Set();
                }
            };
            Assert.True(listing.Wait(TimeSpan.FromSeconds(60)), "The backup never reported listing progress.");

            s3.Kill();
            var output = ps.EndInvoke(pending);

            Assert.Equal("Failed", Assert.Single(output).Properties["Phase"].Value.ToString());
            var error = Assert.Single(ps.Streams.Error);
            Assert.Equal("BackupFailed", error.FullyQualifiedErrorId.Split(',')[0]);
            s3 = await s3.RestartAsync();
            var listed = Session.Invoke("Get-KbBackup -StorageLocation $args[0]", url).ThrowIfErrors();
            Assert.DoesNotContain(listed.Output, b => (string)b.Properties["Name"].Value == "broken");
            var next = Session.Invoke("New-KbBackup next -StorageLocation $args[0] -IncludeNamespace shop | Test-KbBackup", url).ThrowIfErrors();
            Assert.True((bool)Assert.Single(next.Output).Properties["Healthy"].Value);
        }
        finally
        {
            s3.Dispose();
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", savedKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", savedSecret);
        }
    }

    private string RecordPath(string name) => Path.Combine(RepositoryDirectory, "backups", name, "backup.json");

    private JsonObject ReadRecord(string name) => JsonNode.Parse(File.ReadAllText(RecordPath(name)))!.AsObject();
}
