using KubeBackup.Module.Tests.Backups;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Restores;

/// <summary>
/// Disaster recovery's restore: a primary cluster backs up into an S3 location (s3rver); a second cluster, reached with
/// -Kubeconfig/-Context, restores from the same location. And the encrypted form: the wrong passphrase writes nothing.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class CrossClusterRestoreTests : BackupTestBase, IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private readonly string? _savedKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
    private readonly string? _savedSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
    private readonly string _url;
    private EmulatorProcess? _primary;
    private EmulatorProcess? _dr;

    public CrossClusterRestoreTests(S3rverFixture s3)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        _url = s3.Server.Url($"dr-{Guid.NewGuid():N}");
    }

    private EmulatorProcess Primary => _primary!;

    private EmulatorProcess Dr => _dr!;

    public async Task InitializeAsync()
    {
        _primary = await EmulatorProcess.StartAsync("primary", "--load", Path.Combine(Repo.Root, "tests", "fixtures", "webapp"));
        _dr = await EmulatorProcess.StartAsync("dr");
    }

    public async Task DisposeAsync()
    {
        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
        if (_dr is not null)
        {
            await _dr.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _savedKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _savedSecret);
        base.Dispose();
    }

    [Fact]
    public void ASecondClusterRestoresThePrimarysBackupFromTheSharedLocation()
    {
        Session.Invoke("New-KbStorageLocation shared -Url $args[0]", _url).ThrowIfErrors();
        Session.Invoke("New-KbBackup nightly -Kubeconfig $args[0] -StorageLocation shared", Primary.KubeconfigPath).ThrowIfErrors();

        var restore = Session.Invoke("Get-KbBackup -StorageLocation shared | Restore-KbBackup -Kubeconfig $args[0] -Context dr", Dr.KubeconfigPath).ThrowIfErrors();

        var summary = Assert.Single(restore.Output);
        Assert.Equal("Completed", summary.Properties["Phase"].Value.ToString());
        Assert.StartsWith("dr (", (string)summary.Properties["Cluster"].Value, StringComparison.Ordinal);
        Assert.Equal("shared", summary.Properties["StorageLocation"].Value);
        Assert.Contains("deployment.apps/web", Kubectl.Run(Dr.KubeconfigPath, "get", "deployments", "-n", "webapp", "-o", "name"), StringComparison.Ordinal);
        Assert.Contains("database.example.com/orders", Kubectl.Run(Dr.KubeconfigPath, "get", "databases.example.com", "-n", "webapp", "-o", "name"), StringComparison.Ordinal);
        // The record is in the shared location, for either side to read.
        var recorded = Session.Invoke("Get-KbRestore -StorageLocation $args[0]", _url).ThrowIfErrors();
        Assert.Equal(summary.Properties["Name"].Value, Assert.Single(recorded.Output).Properties["Name"].Value);
        var drift = Session.Invoke("Compare-KbBackup nightly -StorageLocation shared -Kubeconfig $args[0] -IncludeNamespace webapp", Dr.KubeconfigPath).ThrowIfErrors();
        Assert.Empty(drift.Output);
    }

    [Fact]
    public void SnapshottedClaimsAreRestoredInTheDrClusterFromTheirSnapshots()
    {
        // The whole cluster, so the claims' StorageClass goes too: the DR cluster provisions from it.
        var backup = Session.Invoke("New-KbBackup snapped -Kubeconfig $args[0] -StorageLocation $args[1] -SnapshotVolumes -SnapshotTimeout 30s",
            Primary.KubeconfigPath, _url).ThrowIfErrors();
        Assert.Equal("Completed", Assert.Single(backup.Output).Properties["Phase"].Value.ToString());
        var recorded = Session.Invoke("(Get-KbBackup snapped -StorageLocation $args[0]).VolumeSnapshots | ForEach-Object { '{0}/{1}={2}:{3}' -f $_.Namespace, $_.PersistentVolumeClaim, $_.Snapshot, $_.Ready }", _url).ThrowIfErrors();
        Assert.Equal(["webapp/data-db-0=data-db-0-snapped:True", "webapp/uploads=uploads-snapped:True"], recorded.Output.Select(o => o.ToString()).Order());

        var restore = Session.Invoke("Restore-KbBackup snapped -StorageLocation $args[0] -Kubeconfig $args[1]", _url, Dr.KubeconfigPath).ThrowIfErrors();

        Assert.Equal("Completed", Assert.Single(restore.Output).Properties["Phase"].Value.ToString());
        Assert.Equal("data-db-0-snapped", Kubectl.Run(Dr.KubeconfigPath, "get", "pvc", "data-db-0", "-n", "webapp", "-o", "jsonpath={.spec.dataSource.name}"));
        Assert.Contains("volumesnapshot.snapshot.storage.k8s.io/uploads-snapped",
            Kubectl.Run(Dr.KubeconfigPath, "get", "volumesnapshots", "-n", "webapp", "-o", "name"), StringComparison.Ordinal);
        string phase = "";
        for (var i = 0; i < 100 && phase != "Bound"; i++)
        {
            phase = Kubectl.Run(Dr.KubeconfigPath, "get", "pvc", "uploads", "-n", "webapp", "-o", "jsonpath={.status.phase}");
            if (phase != "Bound")
            {
                Thread.Sleep(100);
            }
        }
        Assert.True(phase == "Bound", Kubectl.Run(Dr.KubeconfigPath, "get", "pvc,volumesnapshots", "-n", "webapp", "-o", "yaml") + Kubectl.Run(Dr.KubeconfigPath, "get", "volumesnapshotcontents,pv", "-o", "yaml"));
    }

    [Fact]
    public void TheWrongPassphraseStopsBeforeAnythingIsWrittenToTheCluster()
    {
        Session.Invoke(PassphraseVariable("right horse battery staple") + "New-KbBackup sealed -Kubeconfig $args[0] -StorageLocation $args[1] -Passphrase $passphrase", Primary.KubeconfigPath, _url).ThrowIfErrors();

        var wrong = Session.Invoke(PassphraseVariable("wrong") + "Restore-KbBackup sealed -Kubeconfig $args[0] -StorageLocation $args[1] -Passphrase $passphrase", Dr.KubeconfigPath, _url);

        var error = wrong.AllErrors.Single();
        Assert.Equal("WrongPassphrase", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.DoesNotContain("wrong", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("webapp", Kubectl.Run(Dr.KubeconfigPath, "get", "namespaces", "-o", "name"), StringComparison.Ordinal);

        var right = Session.Invoke(PassphraseVariable("right horse battery staple") + "Restore-KbBackup sealed -Kubeconfig $args[0] -StorageLocation $args[1] -Passphrase $passphrase -Spec $args[2]",
            Dr.KubeconfigPath, _url, """
            apiVersion: velero.io/v1
            kind: Restore
            metadata: {name: from-spec}
            spec:
              backupName: sealed
              includedNamespaces: [webapp]
              includedResources: [configmaps, secrets]
            """).ThrowIfErrors();
        Assert.Equal("from-spec", Assert.Single(right.Output).Properties["Name"].Value);
        Assert.Contains("configmap/web-config", Kubectl.Run(Dr.KubeconfigPath, "get", "configmaps", "-n", "webapp", "-o", "name"), StringComparison.Ordinal);
        Assert.DoesNotContain("deployment", Kubectl.Run(Dr.KubeconfigPath, "get", "deployments", "-n", "webapp", "-o", "name"), StringComparison.Ordinal);
    }
}
