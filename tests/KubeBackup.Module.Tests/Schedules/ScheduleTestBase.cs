using KubeBackup.Module.Tests.Backups;

namespace KubeBackup.Module.Tests.Schedules;

/// <summary>
/// Schedule cmdlet tests: isolated user folders (the embedded default location is fresh), and the module's clock reset
/// after each test, since tests fix it to reason about slots.
/// </summary>
public abstract class ScheduleTestBase : BackupTestBase
{
    /// <summary>The seed's section 3.4: two Velero Schedules in one file, stored in the saved location named 'default'.</summary>
    protected const string SeedSchedules = """
        # 每日全量备份
        apiVersion: velero.io/v1
        kind: Schedule
        metadata:
          name: daily-full-backup
          namespace: velero
        spec:
          schedule: "0 2 * * *"  # 每天凌晨 2 点
          template:
            includedNamespaces:
              - production
              - staging
            excludedResources:
              - events
              - events.events.k8s.io
            storageLocation: default
            volumeSnapshotLocations:
              - default
            ttl: 720h  # 保留 30 天
            snapshotVolumes: true
        ---
        # 每小时增量备份 (关键命名空间)
        apiVersion: velero.io/v1
        kind: Schedule
        metadata:
          name: hourly-critical-backup
          namespace: velero
        spec:
          schedule: "0 * * * *"  # 每小时
          template:
            includedNamespaces:
              - production
            labelSelector:
              matchLabels:
                backup: critical
            storageLocation: default
            ttl: 168h  # 保留 7 天
            snapshotVolumes: true
        """;

    protected void SetClock(string time) =>
        Session.Invoke("[KubeBackup.Infrastructure.ModuleClock]::FixedNow = [datetimeoffset]::Parse($args[0], [cultureinfo]::InvariantCulture)", time).ThrowIfErrors();

    public override void Dispose()
    {
        Session.Invoke("[KubeBackup.Infrastructure.ModuleClock]::FixedNow = $null");
        base.Dispose();
    }
}
