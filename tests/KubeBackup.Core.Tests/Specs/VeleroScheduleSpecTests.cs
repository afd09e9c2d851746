using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroScheduleSpecTests
{
    [Fact]
    public void TheSeedsTwoSchedulesImportAsDescribed()
    {
        var manifests = VeleroScheduleSpec.Parse(SeedManifests.Schedules, "schedules.yaml");

        Assert.Equal(["daily-full-backup", "hourly-critical-backup"], manifests.Select(m => m.Name));
        var daily = manifests[0].Schedule;
        Assert.Equal("0 2 * * *", daily.Cron);
        Assert.Null(daily.TimeZone);
        Assert.False(daily.Paused);
        Assert.Equal(["production", "staging"], daily.Template.IncludedNamespaces);
        Assert.Equal(["events", "events.events.k8s.io"], daily.Template.ExcludedResources);
        Assert.Equal(TimeSpan.FromDays(30), daily.Template.Ttl);
        Assert.True(daily.Template.SnapshotVolumes);
        Assert.Equal("default", daily.Template.StorageLocation);
        var warning = Assert.Single(manifests[0].Warnings);
        Assert.Contains("spec.template.volumeSnapshotLocations is ignored", warning);

        var hourly = manifests[1].Schedule;
        Assert.Equal("0 * * * *", hourly.Cron);
        Assert.Equal(["production"], hourly.Template.IncludedNamespaces);
        Assert.Equal("backup=critical", hourly.Template.LabelSelector);
        Assert.Equal(TimeSpan.FromDays(7), hourly.Template.Ttl);
        Assert.Empty(manifests[1].Warnings);
        hourly.Validate();
    }

    [Fact]
    public void OneScheduleWithAZonePausedAndLabels()
    {
        var manifests = VeleroScheduleSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Schedule
            metadata:
              name: nightly
              labels: {team: shop}
            spec:
              schedule: "CRON_TZ=America/New_York 30 2 * * *"
              paused: true
              skipImmediately: true
              useOwnerReferencesInBackup: true
              template:
                metadata:
                  labels: {tier: gold}
                ttl: 48h
            """, "<text>");

        var manifest = Assert.Single(manifests);
        var schedule = manifest.Schedule;
        Assert.Equal("30 2 * * *", schedule.Cron);
        Assert.Equal("America/New_York", schedule.TimeZone);
        Assert.True(schedule.Paused);
        Assert.True(schedule.SkipImmediately);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "shop", ["tier"] = "gold" }, schedule.Template.Labels);
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains("line 10, column 31: spec.useOwnerReferencesInBackup is ignored", warning);
        Assert.Contains(RestoreRunner.ScheduleLabel, warning);
    }

    [Fact]
    public void UnknownSpecFieldsAreWarnings()
    {
        var manifest = Assert.Single(VeleroScheduleSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Schedule
            metadata: {name: s}
            spec:
              schedule: "@daily"
              templat: {}
            """, "s.yaml"));

        Assert.Contains(manifest.Warnings, w => w.Contains("spec.templat is not a Schedule field and was ignored; did you mean template?"));
        Assert.Contains(manifest.Warnings, w => w.Contains("spec.template is missing"));
    }

    [Fact]
    public void AMissingScheduleIsSpecInvalidAtTheSpec()
    {
        var e = Assert.Throws<KbException>(() => VeleroScheduleSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Schedule
            metadata: {name: s}
            spec:
              template: {ttl: 1h}
            """, "s.yaml"));

        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.StartsWith("s.yaml, line 5, column 3: spec.schedule is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidCronIsScheduleCronInvalidWithItsLineInTheSecondDocument()
    {
        var e = Assert.Throws<KbException>(() => VeleroScheduleSpec.Parse(SeedManifests.Schedules.Replace("\"0 * * * *\"", "\"0 * * *\""), "schedules.yaml"));

        Assert.Equal(ErrorIds.ScheduleCronInvalid, e.ErrorId);
        Assert.Equal("schedules.yaml", e.Target);
        Assert.StartsWith("schedules.yaml, line 29, column 13: spec.schedule: '0 * * *' is not a valid cron expression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownZoneIsScheduleTimeZoneUnknownWithItsLine()
    {
        var e = Assert.Throws<KbException>(() => VeleroScheduleSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Schedule
            metadata: {name: s}
            spec:
              schedule: CRON_TZ=Moon/Tranquility 0 2 * * *
            """, "s.yaml"));

        Assert.Equal(ErrorIds.ScheduleTimeZoneUnknown, e.ErrorId);
        Assert.StartsWith("s.yaml, line 5, column 13: spec.schedule: The time zone 'Moon/Tranquility' is not known", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonPositiveTtlAndABackupManifestAreRefused()
    {
        var ttl = Assert.Throws<KbException>(() => VeleroScheduleSpec.Parse(SeedManifests.Schedules.Replace("ttl: 168h", "ttl: 0s"), "schedules.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, ttl.ErrorId);
        Assert.Contains("spec.template.ttl must be a positive duration", ttl.Message);

        var kind = Assert.Throws<KbException>(() => VeleroScheduleSpec.Parse(SeedManifests.BackupWithHooks, "b.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, kind.ErrorId);
        Assert.Contains("kind is Backup; only a Velero Schedule is read here", kind.Message);
    }

    [Fact]
    public void TwoSchedulesOfOneNameAreRefused()
    {
        var e = Assert.Throws<KbException>(() => VeleroScheduleSpec.Parse(SeedManifests.Schedules.Replace("hourly-critical-backup", "daily-full-backup"), "schedules.yaml"));

        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Contains("two Schedules named 'daily-full-backup'", e.Message);
    }

    [Fact]
    public void AFileIsLoadedByPath()
    {
        var directory = Directory.CreateTempSubdirectory("kb-sched-").FullName;
        File.WriteAllText(Path.Combine(directory, "schedules.yaml"), SeedManifests.Schedules);

        var manifests = VeleroScheduleSpec.Load("schedules.yaml", directory);

        Assert.Equal(2, manifests.Count);
        Assert.StartsWith(Path.Combine(directory, "schedules.yaml") + ", line 17", manifests[0].Warnings.Single(), StringComparison.Ordinal);
    }
}
