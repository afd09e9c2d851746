using System.Collections;
using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;
using KubeBackup.Core.Specs;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Creates backup schedules in a storage location: a cron expression (optionally in an IANA zone) and a backup template
/// (every New-KbBackup option). By parameters, or from Velero Schedule manifests with -Spec (each stored in the location
/// its template's storageLocation names, unless -StorageLocation is given). Runs nothing: Invoke-KbSchedule does.
/// </summary>
[Cmdlet(VerbsCommon.New, "KbSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByParameters)]
[OutputType(typeof(ScheduleInfo))]
public sealed class NewKbScheduleCommand : ScheduleTemplateCmdlet
{
    private const string ByParameters = "Parameters";
    private const string BySpec = "Spec";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = BySpec)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Five cron fields, a macro (@daily) or @every &lt;duration&gt;; a CRON_TZ=&lt;zone&gt; prefix sets the zone.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByParameters)]
    [Alias("Schedule")]
    [ValidateNotNullOrEmpty]
    public string? Cron { get; set; }

    [Parameter(ParameterSetName = ByParameters)]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    /// <summary>One or several Velero Schedule manifests: a YAML file or the YAML text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BySpec)]
    [ValidateNotNullOrEmpty]
    public string? Spec { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        foreach (var (schedule, location) in Definitions())
        {
            try
            {
                await CreateAsync(schedule, location, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e);
            }
        }
    }

    /// <summary>The schedules to create, each validated, with the location it goes to.</summary>
    private List<(BackupSchedule Schedule, StorageLocation Location)> Definitions()
    {
        var bound = MyInvocation.BoundParameters;
        var definitions = new List<(BackupSchedule, StorageLocation)>();
        if (Spec is null)
        {
            var schedule = new BackupSchedule
            {
                Name = Name!,
                Cron = Cron!,
                TimeZone = TimeZone,
                Template = BackupTemplate.Apply(new BackupSpec(), this, bound),
                Paused = Paused,
                SkipImmediately = SkipImmediately,
                Description = Description,
            };
            definitions.Add((schedule.Normalized(), ResolveLocation()));
            return definitions;
        }
        var manifests = VeleroScheduleSpec.Load(Spec, CurrentDirectory);
        if (Name is not null && manifests.Count > 1)
        {
            throw new KbException(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, Name,
                $"-Name names one schedule, but the spec holds {manifests.Count}; leave -Name out to take each manifest's metadata.name.");
        }
        var catalog = new StorageLocationCatalog(UserPaths.FromEnvironment());
        foreach (var manifest in manifests)
        {
            foreach (var warning in manifest.Warnings)
            {
                EmitWarning(warning);
            }
            var name = Name ?? manifest.Name
                ?? throw new KbException(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, Spec,
                    "The Schedule manifest has no metadata.name; give the schedule's name with -Name.");
            var read = manifest.Schedule;
            var schedule = read with
            {
                Name = name,
                Template = BackupTemplate.Apply(read.Template, this, bound),
                Paused = bound.ContainsKey(nameof(Paused)) ? Paused.IsPresent : read.Paused,
                SkipImmediately = bound.ContainsKey(nameof(SkipImmediately)) ? SkipImmediately.IsPresent : read.SkipImmediately,
                Description = Description ?? read.Description,
            };
            var location = StorageLocation
                ?? (schedule.Template.StorageLocation is { } named ? StorageLocationResolver.Resolve(named, catalog) : catalog.GetDefault());
            definitions.Add((schedule.Normalized(), location));
        }
        return definitions;
    }

    private async Task CreateAsync(BackupSchedule schedule, StorageLocation location, CancellationToken cancellationToken)
    {
        var zone = schedule.TimeZone is null ? "UTC" : schedule.TimeZone;
        if (!await ShouldProcessAsync($"schedule '{schedule.Name}' in storage location '{location.Name}' ({location.Url})",
                $"Create schedule '{schedule.Cron}' ({zone}){(schedule.Paused ? ", paused" : "")}, keeping backups {schedule.Template.Ttl}").ConfigureAwait(false))
        {
            return;
        }
        var opened = (await OpenRepositoryAsync(location, cancellationToken, createIfMissing: true).ConfigureAwait(false))!;
        BackupSchedule saved;
        try
        {
            saved = await StoreOf(opened).CreateAsync(schedule, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ScheduleExists)
        {
            throw new KbException(ErrorIds.ScheduleExists, KbErrorCategory.ResourceExists, schedule.Name,
                $"Schedule '{schedule.Name}' already exists in storage location '{location.Name}'; change it with Set-KbSchedule or remove it first (nothing was overwritten).", e);
        }
        EmitVerbose($"Created schedule '{saved.Name}' in storage location '{location.Name}'.");
        Emit(await InfoAsync(location, opened, saved, cancellationToken).ConfigureAwait(false));
    }
}
