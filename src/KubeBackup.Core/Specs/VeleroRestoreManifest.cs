using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Specs;

/// <summary>
/// A Velero <c>Restore</c> manifest as KubeBackup reads it: the restore's name (metadata.name, null when absent), what to
/// restore and how, and what of the manifest was not carried over (unknown fields, Velero features KubeBackup does not have).
/// </summary>
public sealed record VeleroRestoreManifest(string? Name, RestoreSpec Spec, IReadOnlyList<string> Warnings);
