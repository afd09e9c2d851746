using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that reads or changes the backups of one storage location: <c>-StorageLocation</c> (a saved name, a URL or a
/// location object; the default location when omitted; bound by property name, so <c>Get-KbBackup | Remove-KbBackup</c>
/// finds each backup where it was listed) and the repository key. Repositories are opened once per location and closed
/// when the pipeline ends, so a piped list of backups does not derive the key (PBKDF2) once per backup.
/// </summary>
public abstract class BackupLocationCmdlet : RepositoryKeyCmdlet
{
    private readonly Dictionary<StorageLocation, LocationRepository?> _open = [];

    // Per location, in the order first seen: the names asked for (null: every backup the command selects itself).
    private readonly List<(StorageLocation Location, List<string>? Names)> _requests = [];

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [StorageLocationTransformation]
    [ValidateNotNull]
    public StorageLocation? StorageLocation { get; set; }

    /// <summary>The bound location, or the default one (the marked default, the only saved one, or the embedded local folder).</summary>
    protected StorageLocation ResolveLocation() => StorageLocation ?? new StorageLocationCatalog(UserPaths.FromEnvironment()).GetDefault();

    /// <summary>
    /// The location's repository, opened on first use; null when the location holds no repository yet (nothing was
    /// backed up there), which is said in a verbose message, unless <paramref name="createIfMissing"/> creates it.
    /// Other failures (unreachable, wrong passphrase) throw.
    /// </summary>
    protected async Task<LocationRepository?> OpenRepositoryAsync(StorageLocation location, CancellationToken cancellationToken, bool createIfMissing = false)
    {
        if (_open.TryGetValue(location, out var opened) && (opened is not null || !createIfMissing))
        {
            return opened;
        }
        using var key = ResolveKey();
        try
        {
            opened = await LocationRepository.OpenAsync(location, key, new RepositoryOptions { Sink = Sink }, createIfMissing, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.RepositoryNotFound)
        {
            EmitVerbose(e.Message);
            opened = null;
        }
        _open[location] = opened;
        return opened;
    }

    /// <summary>What a backup's StorageLocation says: the location's saved name, or its URL when it was given as one.</summary>
    protected static string LocationName(StorageLocation location) => location.Name;

    protected static KbException RestoreNotFound(string name, StorageLocation location) =>
        new(ErrorIds.RestoreNotFound, KbErrorCategory.ObjectNotFound, name, $"Restore '{name}' was not found in storage location '{location.Name}'.");

    /// <summary>Reads a part of restore <paramref name="name"/>'s record in the bound location; a missing one is RestoreNotFound naming the location.</summary>
    protected async Task<T> ReadRestoreAsync<T>(string name, Func<BackupRepository, string, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false) ?? throw RestoreNotFound(name, location);
        try
        {
            return await read(opened.Repository, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.RestoreNotFound)
        {
            throw RestoreNotFound(name, location);
        }
    }

    protected static KbException BackupNotFound(string name, StorageLocation location) =>
        new(ErrorIds.BackupNotFound, KbErrorCategory.ObjectNotFound, name, $"Backup '{name}' was not found in storage location '{location.Name}'.");

    /// <summary>
    /// The committed backups of a location that <paramref name="names"/> select (wildcards; all when null), newest first;
    /// a plain name that matches none is a BackupNotFound error. Names without wildcards are read one by one, not listed.
    /// </summary>
    protected async Task<IReadOnlyList<BackupSummary>> SelectBackupsAsync(StorageLocation location, LocationRepository? opened, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        if (opened is null)
        {
            foreach (var name in names ?? [])
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name))
                {
                    EmitError(BackupNotFound(name, location));
                }
            }
            return [];
        }
        if (names is not null && !names.Any(WildcardPattern.ContainsWildcardCharacters))
        {
            var found = new List<BackupSummary>();
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    found.Add(BackupRecordJson.FromInfo(await opened.Repository.GetBackupAsync(name, cancellationToken).ConfigureAwait(false), LocationName(location)));
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.BackupNotFound)
                {
                    EmitError(BackupNotFound(name, location));
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.BackupNameInvalid)
                {
                    EmitError(e);
                }
            }
            return found;
        }
        var all = new List<BackupSummary>();
        foreach (var info in await opened.Repository.ListBackupsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                all.Add(BackupRecordJson.FromInfo(info, LocationName(location)));
            }
            catch (KbException e)
            {
                EmitWarning(e.Message);
            }
        }
        return WildcardNames.Select(all, names?.ToArray(), b => b.Name, name => EmitError(BackupNotFound(name, location))).ToList();
    }

    /// <summary>
    /// The restores of a location that <paramref name="names"/> select (wildcards; all when null), newest first; a plain
    /// name that matches none is a RestoreNotFound error. Names without wildcards are read one by one, not listed.
    /// </summary>
    protected async Task<IReadOnlyList<RestoreSummary>> SelectRestoresAsync(StorageLocation location, LocationRepository? opened, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        if (opened is null)
        {
            foreach (var name in (names ?? []).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                EmitError(RestoreNotFound(name, location));
            }
            return [];
        }
        if (names is not null && !names.Any(WildcardPattern.ContainsWildcardCharacters))
        {
            var found = new List<RestoreSummary>();
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    found.Add(await RestoreRecords.GetAsync(opened.Repository, name, LocationName(location), cancellationToken).ConfigureAwait(false));
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.RestoreNotFound)
                {
                    EmitError(RestoreNotFound(name, location));
                }
            }
            return found;
        }
        var all = await RestoreRecords.ListAsync(opened.Repository, LocationName(location), EmitWarning, cancellationToken).ConfigureAwait(false);
        return WildcardNames.Select(all, names?.ToArray(), r => r.Name, name => EmitError(RestoreNotFound(name, location))).ToList();
    }

    /// <summary>
    /// Collects one pipeline record's backup names for its location, so a command that works per location (checking
    /// shared blobs once, pruning once) sees all of them at the end. Null asks for every backup and absorbs names.
    /// </summary>
    protected void CollectRequest(IReadOnlyList<string>? names)
    {
        var location = ResolveLocation();
        var index = _requests.FindIndex(r => r.Location == location);
        if (index < 0)
        {
            _requests.Add((location, names?.ToList()));
        }
        else if (names is null)
        {
            _requests[index] = (location, null);
        }
        else if (_requests[index].Names is { } collected)
        {
            collected.AddRange(names.Where(n => !collected.Contains(n, StringComparer.Ordinal)));
        }
    }

    /// <summary>Runs <paramref name="action"/> for each location collected; one location's failure is its error and the others go on.</summary>
    protected async Task ForEachRequestAsync(Func<StorageLocation, List<string>?, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        foreach (var (location, names) in _requests)
        {
            try
            {
                await action(location, names, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e);
            }
        }
    }

    /// <summary>Closes the repositories this command opened. Cmdlets call it last in EndProcessingAsync.</summary>
    protected async Task CloseRepositoriesAsync()
    {
        foreach (var opened in _open.Values)
        {
            if (opened is not null)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
            }
        }
        _open.Clear();
    }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EndOfInputAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseRepositoriesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs when the pipeline's input has all been processed, before the repositories are closed.</summary>
    protected virtual Task EndOfInputAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
