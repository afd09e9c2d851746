using KubeBackup.Core.Backup;

namespace KubeBackup.Core.Specs;

/// <summary>
/// A Velero <c>Backup</c> manifest as KubeBackup reads it: the backup's name (metadata.name, null when absent), what to
/// back up, and what of the manifest was not carried over (unknown fields, Velero features KubeBackup does not have).
/// </summary>
public sealed record VeleroBackupManifest(string? Name, BackupSpec Spec, IReadOnlyList<string> Warnings);
