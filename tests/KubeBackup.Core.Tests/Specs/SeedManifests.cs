namespace KubeBackup.Core.Tests.Specs;

/// <summary>The seed document's Velero manifests, verbatim: real user input.</summary>
internal static class SeedManifests
{
    // Section 3.5: a Backup with pre/post hooks that lock and unlock MySQL tables.
    public const string BackupWithHooks = """
        apiVersion: velero.io/v1
        kind: Backup
        metadata:
          name: mysql-backup-with-hooks
          namespace: velero
        spec:
          includedNamespaces:
            - production
          labelSelector:
            matchLabels:
              app: mysql
          hooks:
            resources:
              - name: mysql-backup-hook
                includedNamespaces:
                  - production
                labelSelector:
                  matchLabels:
                    app: mysql
                pre:
                  - exec:
                      container: mysql
                      command:
                        - /bin/bash
                        - -c
                        - "mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'FLUSH TABLES WITH READ LOCK; FLUSH LOGS;'"
                      onError: Fail
                      timeout: 60s
                post:
                  - exec:
                      container: mysql
                      command:
                        - /bin/bash
                        - -c
                        - "mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'UNLOCK TABLES;'"
                      onError: Continue
                      timeout: 30s
        """;

    // Section 3.4: two Schedules in one file, whose templates are Backup specs.
    public const string Schedules = """
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
}
