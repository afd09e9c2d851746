using KubeBackup.Module.Tests.Backups;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Schedules;

/// <summary>
/// The seed's two Velero Schedules imported with -Spec into the saved location their templates name ('default'), on an
/// S3-compatible store (s3rver) and on a local folder; then listed, changed and removed there.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class S3ScheduleTests : ScheduleTestBase, IClassFixture<S3rverFixture>
{
    private readonly string? _savedKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
    private readonly string? _savedSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
    private readonly string _s3Url;

    public S3ScheduleTests(S3rverFixture s3)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        _s3Url = s3.Server.Url($"t-{Guid.NewGuid():N}");
    }

    public override void Dispose()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _savedKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _savedSecret);
        base.Dispose();
    }

    [Fact]
    public void TheSeedsSchedulesGoToTheS3LocationTheirTemplatesName()
    {
        Session.Invoke("New-KbStorageLocation -Name default -Url $args[0]", _s3Url).ThrowIfErrors();
        ImportsTheSeedsSchedules();

        // The same by parameters, next to them, and by name through the pipeline.
        Session.Invoke("New-KbSchedule hourly-critical -Cron '0 * * * *' -IncludeNamespace production -Selector backup=critical -Ttl 168h -StorageLocation default").ThrowIfErrors();
        Assert.Equal(["daily-full-backup", "hourly-critical", "hourly-critical-backup"], Names(Session.Invoke("Get-KbSchedule -StorageLocation default").ThrowIfErrors()));
        Session.Invoke("Get-KbSchedule hourly* -StorageLocation default | Set-KbSchedule -Paused").ThrowIfErrors();
        Assert.Equal(["daily-full-backup"], Names(Session.Invoke("Get-KbSchedule -StorageLocation default | Where-Object { -not $_.Paused }").ThrowIfErrors()));
        Session.Invoke("Get-KbSchedule hourly* -StorageLocation default | Remove-KbSchedule -Force").ThrowIfErrors();
        Assert.Equal(["daily-full-backup"], Names(Session.Invoke("Get-KbSchedule -StorageLocation $args[0]", _s3Url).ThrowIfErrors()));
    }

    [Fact]
    public void TheSeedsSchedulesGoToALocalLocationTheirTemplatesName()
    {
        var folder = Path.Combine(User.Root, "local-backups");
        Directory.CreateDirectory(folder);
        Session.Invoke("New-KbStorageLocation -Name default -Url $args[0]", new Uri(folder).AbsoluteUri).ThrowIfErrors();
        ImportsTheSeedsSchedules();

        Assert.True(File.Exists(Path.Combine(folder, "schedules", "daily-full-backup.json")));
        Assert.True(File.Exists(Path.Combine(folder, "schedules", "hourly-critical-backup.json")));
    }

    private void ImportsTheSeedsSchedules()
    {
        var file = Path.Combine(User.Root, "schedules.yaml");
        File.WriteAllText(file, SeedSchedules);

        var result = Session.Invoke("New-KbSchedule -Spec $args[0]", file).ThrowIfErrors();

        Assert.Equal(["daily-full-backup", "hourly-critical-backup"], Names(result));
        Assert.All(result.Output, s => Assert.Equal("default", Property(s, "StorageLocation")));
        Assert.Contains(result.Warnings, w => w.Contains("volumeSnapshotLocations", StringComparison.Ordinal));
        var daily = result.Output[0];
        Assert.Equal("0 2 * * *", Property(daily, "Cron"));
        Assert.Equal(TimeSpan.FromHours(720), Property(daily, "Ttl"));
        Assert.Equal("production, staging", Property(daily, "Namespaces"));
        Assert.Equal(TimeSpan.FromHours(168), Property(result.Output[1], "Ttl"));
        Assert.Equal("backup=critical", Session.Invoke("(Get-KbSchedule hourly-critical-backup -StorageLocation default).Template.LabelSelector").ThrowIfErrors().Output.Single().ToString());
        Assert.Equal(true, Session.Invoke("(Get-KbSchedule daily-full-backup -StorageLocation default).Template.SnapshotVolumes").ThrowIfErrors().Output.Single().BaseObject);

        // Imported twice: each name exists.
        var again = Session.Invoke("New-KbSchedule -Spec $args[0]", file);
        Assert.Equal(2, again.Errors.Count);
        Assert.All(again.Errors, e => Assert.StartsWith("ScheduleExists,", e.FullyQualifiedErrorId));
    }
}
