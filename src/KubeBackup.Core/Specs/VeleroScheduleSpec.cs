using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// Reads Velero <c>Schedule</c> manifests (velero.io/v1; one or several YAML documents, as in the seed's section 3.4)
/// into <see cref="BackupSchedule"/>s. <c>spec.schedule</c> is checked here, so a bad cron expression or zone is reported
/// at its line (ScheduleCronInvalid, ScheduleTimeZoneUnknown); the template is a Backup spec read by
/// <see cref="VeleroBackupSpec.ParseSpec"/>.
/// </summary>
public static class VeleroScheduleSpec
{
    private static readonly string[] SpecFields = ["schedule", "template", "paused", "skipImmediately", "useOwnerReferencesInBackup"];

    /// <summary>Manifests in a file or given as text (see <see cref="VeleroSpecParts.Load"/>).</summary>
    public static IReadOnlyList<VeleroScheduleManifest> Load(string fileOrText, string baseDirectory) => VeleroSpecParts.Load(fileOrText, baseDirectory, Parse);

    /// <summary>Every YAML document of <paramref name="yaml"/>, each of kind Schedule. <paramref name="source"/> names it in messages.</summary>
    public static IReadOnlyList<VeleroScheduleManifest> Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var manifests = SpecDocument.All(yaml, source, "Schedule").Select(root => ParseOne(root, source)).ToList();
        var twice = manifests.Where(m => m.Name is not null).GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new KbException(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, source, $"{source} holds two Schedules named '{twice.Key}'; schedule names are unique.");
        }
        return manifests;
    }

    private static VeleroScheduleManifest ParseOne(YamlMappingNode root, string source)
    {
        var warnings = new List<string>();
        var reader = new SpecReader(source, warnings);
        VeleroSpecParts.CheckHeader(reader, root, "Schedule");
        var (name, labels) = VeleroSpecParts.Metadata(reader, root, "the schedule is named by metadata.name or New-KbSchedule -Name");
        if (name is not null)
        {
            try
            {
                BackupSchedule.ValidateName(name);
            }
            catch (KbException e)
            {
                throw reader.Invalid(SpecReader.Get(reader.Mapping(root, "metadata", "metadata")!, "name")!, "metadata.name", e.Message.TrimEnd('.'));
            }
        }

        var spec = reader.Mapping(root, "spec", "spec")
            ?? throw reader.Invalid(root, "spec", "is missing; a Schedule has spec.schedule (the cron expression) and spec.template (the backup)");
        reader.WarnUnknown(spec, "spec", "a Schedule", SpecFields);

        var cronNode = SpecReader.Get(spec, "schedule")
            ?? throw reader.Invalid(spec, "spec.schedule", "is missing; give a cron expression such as \"0 2 * * *\"");
        var cronText = reader.Text(cronNode, "spec.schedule");
        ScheduleCron cron;
        try
        {
            cron = ScheduleCron.Parse(cronText);
        }
        catch (KbException e)
        {
            throw new KbException(e.ErrorId, e.Category, source, $"{source}, {SpecReader.Where(cronNode)}: spec.schedule: {e.Message}", e);
        }

        var templateNode = reader.Mapping(spec, "template", "spec.template");
        if (templateNode is null)
        {
            reader.Warn(spec, "spec.template is missing: the schedule backs up everything, as an empty Velero template does.");
        }
        var template = VeleroBackupSpec.ParseSpec(templateNode ?? new YamlMappingNode(), "spec.template", warnings, source);
        // Velero labels a schedule's backups with the schedule's labels, then the template's.
        var merged = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var (key, value) in template.Labels)
        {
            merged[key] = value;
        }

        if (SpecReader.Get(spec, "useOwnerReferencesInBackup") is { } owners && !VeleroSpecParts.IsOff(owners))
        {
            reader.Warn(owners, "spec.useOwnerReferencesInBackup is ignored: KubeBackup's backups are not Kubernetes objects; a schedule's backups carry the label "
                + $"{Restore.RestoreRunner.ScheduleLabel}.");
        }
        // A TTL of zero or less is refused by ParseSpec at its line.
        var schedule = new BackupSchedule
        {
            Name = name ?? string.Empty,
            Cron = cron.Expression,
            TimeZone = cron.TimeZoneId,
            Template = template with { Labels = merged },
            Paused = reader.Bool(spec, "paused", "spec.paused") ?? false,
            SkipImmediately = reader.Bool(spec, "skipImmediately", "spec.skipImmediately") ?? false,
        };
        return new VeleroScheduleManifest(schedule, warnings);
    }
}
