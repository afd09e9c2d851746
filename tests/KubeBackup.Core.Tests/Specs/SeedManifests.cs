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

    // Section 4 (4.1, 4.2, 4.3): the seed restores with the velero CLI; these are its three command blocks, whose
    // velero restore create lines VeleroRestoreCommand turns into the Restore manifests the CLI creates.
    public const string RestoreCommands = """
        # 查看可用备份
        velero backup get

        # 恢复整个备份
        velero restore create --from-backup daily-full-backup-20260118

        # 查看恢复状态
        velero restore describe <restore-name>
        velero restore logs <restore-name>
        # 仅恢复指定命名空间
        velero restore create --from-backup daily-full-backup-20260118 \
          --include-namespaces production

        # 仅恢复指定资源类型
        velero restore create --from-backup daily-full-backup-20260118 \
          --include-resources deployments,services,configmaps

        # 恢复到新命名空间
        velero restore create --from-backup daily-full-backup-20260118 \
          --namespace-mappings production:production-restored

        # 排除 PVC (仅恢复配置)
        velero restore create --from-backup daily-full-backup-20260118 \
          --exclude-resources persistentvolumeclaims
        # 在目标集群安装 Velero，使用相同的 BackupStorageLocation

        # 同步备份元数据
        velero backup-location get

        # 执行恢复
        velero restore create cross-cluster-restore \
          --from-backup daily-full-backup-20260118
        """;
}
