using System.Collections;
using System.Management.Automation;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Backup.Hooks;

namespace KubeBackup.Infrastructure;

/// <summary>
/// The backup parameters New-KbBackup, New-KbSchedule and Set-KbSchedule share. Each cmdlet declares them itself
/// (PowerShell reads parameters from the cmdlet class, with their completers and validation); this interface and
/// <see cref="BackupTemplate.Apply"/> are the one place that maps them to a <see cref="BackupSpec"/>.
/// </summary>
internal interface IBackupTemplateParameters
{
    string[]? IncludeNamespace { get; }
    string[]? ExcludeNamespace { get; }
    string[]? IncludeResource { get; }
    string[]? ExcludeResource { get; }
    string? Selector { get; }
    string[]? OrSelector { get; }
    SwitchParameter IncludeClusterResources { get; }
    TimeSpan Ttl { get; }
    SwitchParameter SnapshotVolumes { get; }
    TimeSpan SnapshotTimeout { get; }
    Hashtable? Label { get; }
    Hashtable[]? Hook { get; }
}

internal static class BackupTemplate
{
    /// <summary>
    /// <paramref name="spec"/> with every parameter that was given (<paramref name="bound"/>) on top: a given parameter
    /// replaces the field, one not given keeps it. IncludeClusterResources is Velero's three-valued rule (absent, on, off).
    /// </summary>
    public static BackupSpec Apply(BackupSpec spec, IBackupTemplateParameters p, IDictionary<string, object> bound) => spec with
    {
        IncludedNamespaces = p.IncludeNamespace ?? spec.IncludedNamespaces,
        ExcludedNamespaces = p.ExcludeNamespace ?? spec.ExcludedNamespaces,
        IncludedResources = p.IncludeResource ?? spec.IncludedResources,
        ExcludedResources = p.ExcludeResource ?? spec.ExcludedResources,
        LabelSelector = p.Selector ?? spec.LabelSelector,
        OrLabelSelectors = p.OrSelector ?? spec.OrLabelSelectors,
        IncludeClusterResources = bound.ContainsKey(nameof(p.IncludeClusterResources)) ? p.IncludeClusterResources.IsPresent : spec.IncludeClusterResources,
        Ttl = bound.ContainsKey(nameof(p.Ttl)) ? p.Ttl : spec.Ttl,
        SnapshotVolumes = bound.ContainsKey(nameof(p.SnapshotVolumes)) ? p.SnapshotVolumes.IsPresent : spec.SnapshotVolumes,
        SnapshotTimeout = bound.ContainsKey(nameof(p.SnapshotTimeout)) ? p.SnapshotTimeout : spec.SnapshotTimeout,
        Labels = p.Label is null ? spec.Labels : PlainValues.Texts(p.Label),
        Hooks = p.Hook is null ? spec.Hooks : p.Hook.Select((h, i) => HookSpecDictionary.Parse((IDictionary)PlainValues.Unwrap(h)!, i)).ToList(),
    };
}
