using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Repository;

/// <summary>
/// A backup repository on an object store (docs/repository-format.md). Opening it reads <c>kubebackup.json</c> and
/// unlocks the master key; everything else reads and writes through the codec, so no plaintext ever reaches the store
/// of an encrypted repository.
/// </summary>
public sealed class BackupRepository : IDisposable
{
    private readonly MasterKey? _masterKey;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    private BackupRepository(IObjectStore store, RepositoryConfig config, MasterKey? masterKey, RepositoryOptions options)
    {
        Store = store;
        Config = config;
        _masterKey = masterKey;
        Options = options;
        Codec = new BlobCodec(masterKey, config.Compression);
        Chunker = new Chunker(config.Chunker, masterKey?.ChunkerSeed ?? new byte[32]);
    }

    public IObjectStore Store { get; }

    public RepositoryOptions Options { get; }

    public string RepositoryId => Config.RepositoryId;

    public int FormatVersion => Config.FormatVersion;

    public bool IsEncrypted => Config.Encryption is not null;

    public RepositoryCompression Compression => Config.Compression;

    internal RepositoryConfig Config { get; }

    internal BlobCodec Codec { get; }

    internal Chunker Chunker { get; }

    /// <summary>Creates a repository where none is; RepositoryAlreadyExists otherwise.</summary>
    public static async Task<BackupRepository> InitializeAsync(IObjectStore store, RepositoryInitOptions init, RepositoryOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (await store.StatAsync(RepositoryLayout.ConfigKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KbException(ErrorIds.RepositoryAlreadyExists, KbErrorCategory.ResourceExists, store.Description,
                $"A repository already exists at {store.Description}; open it instead.");
        }
        init.Chunker.Validate(store.Description);
        var id = Hex.Lower(RandomNumberGenerator.GetBytes(16));
        var masterKey = init.Encryption is null ? null : MasterKey.CreateRandom();
        try
        {
            var encryption = init.Encryption is null ? null : masterKey!.Wrap(init.Encryption, init.KdfIterations, id);
            var config = new RepositoryConfig(RepositoryLayout.FormatVersion, id, DateTimeOffset.UtcNow, init.Compression, init.Chunker, encryption);
            await store.PutAsync(RepositoryLayout.ConfigKey, new MemoryStream(config.ToJson()), cancellationToken).ConfigureAwait(false);
            return new BackupRepository(store, config, masterKey, options ?? new RepositoryOptions());
        }
        catch
        {
            masterKey?.Dispose();
            throw;
        }
    }

    /// <summary>Opens a repository: RepositoryNotFound, RepositoryVersionUnsupported, PassphraseRequired or WrongPassphrase.</summary>
    public static async Task<BackupRepository> OpenAsync(IObjectStore store, RepositoryKey? key, RepositoryOptions? options = null, CancellationToken cancellationToken = default)
    {
        byte[] json;
        try
        {
            json = await RepositoryIndex.ReadAllBytesAsync(store, RepositoryLayout.ConfigKey, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            throw new KbException(ErrorIds.RepositoryNotFound, KbErrorCategory.ObjectNotFound, store.Description,
                $"There is no KubeBackup repository at {store.Description} ({RepositoryLayout.ConfigKey} is missing).", e);
        }
        var config = RepositoryConfig.Parse(json, store.Description);
        MasterKey? masterKey = null;
        if (config.Encryption is not null)
        {
            if (key is null)
            {
                throw new KbException(ErrorIds.PassphraseRequired, KbErrorCategory.AuthenticationError, store.Description,
                    $"The repository at {store.Description} is encrypted; give its {(config.Encryption.KeySource == RepositoryKeySource.Passphrase ? "passphrase" : "key file")}.");
            }
            masterKey = MasterKey.Unwrap(key, config.Encryption, config.RepositoryId, store.Description);
        }
        else if (key is not null)
        {
            (options?.Sink ?? Operations.NullOperationSink.Instance).Warning($"The repository at {store.Description} is not encrypted; the {(key.Source == RepositoryKeySource.Passphrase ? "passphrase" : "key file")} is not used.");
        }
        return new BackupRepository(store, config, masterKey, options ?? new RepositoryOptions());
    }

    /// <summary>
    /// Starts a backup under a shared lock. BackupAlreadyExists if a backup of that name is committed or being written.
    /// The parent (if any) must exist; it is recorded as lineage, and dedup covers it through the repository index.
    /// </summary>
    public async Task<BackupWriter> BeginBackupAsync(string name, string? parentName = null, CancellationToken cancellationToken = default)
    {
        RepositoryLayout.ValidateName(name);
        await ThrowIfBackupExistsAsync(name, cancellationToken).ConfigureAwait(false);
        if (parentName is not null && await Store.StatAsync(RepositoryLayout.BackupRecord(parentName), cancellationToken).ConfigureAwait(false) is null)
        {
            throw NotFound(parentName);
        }
        var held = await RepositoryLock.AcquireAsync(Store, Options, exclusive: false, BackupOperation(name), cancellationToken).ConfigureAwait(false);
        try
        {
            if (held.OthersSeen.FirstOrDefault(l => l.Operation == BackupOperation(name)) is { } other)
            {
                throw new KbException(ErrorIds.BackupAlreadyExists, KbErrorCategory.ResourceExists, name,
                    $"Backup '{name}' is being written by {other.Owner} on {other.Host} (pid {other.Pid}) since {other.CreatedAt:u}.");
            }
            var known = await RepositoryIndex.LoadAsync(Store, Codec, Options.Sink, Intern, cancellationToken).ConfigureAwait(false);
            return new BackupWriter(this, name, parentName, held, known);
        }
        catch
        {
            await held.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static string BackupOperation(string name) => "backup " + name;

    internal async Task ThrowIfBackupExistsAsync(string name, CancellationToken cancellationToken)
    {
        if (await Store.StatAsync(RepositoryLayout.BackupRecord(name), cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KbException(ErrorIds.BackupAlreadyExists, KbErrorCategory.ResourceExists, name,
                $"Backup '{name}' already exists in {Store.Description}; choose another name (nothing was overwritten).");
        }
    }

    /// <summary>Every committed backup (those with a record), newest first.</summary>
    public async Task<IReadOnlyList<BackupInfo>> ListBackupsAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await foreach (var info in Store.ListAsync(RepositoryLayout.BackupsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (RepositoryLayout.BackupFileOf(info.Key) is { File: RepositoryLayout.RecordFileName } file)
            {
                names.Add(file.Name);
            }
        }
        var backups = new List<BackupInfo>();
        foreach (var name in names)
        {
            try
            {
                backups.Add(await GetBackupAsync(name, cancellationToken).ConfigureAwait(false));
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.BackupNotFound)
            {
                // Deleted between listing and reading.
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.BackupRecordInvalid)
            {
                Options.Sink.Warning(e.Message);
            }
        }
        return backups.OrderByDescending(b => b.Time).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One backup's record; BackupNotFound if it is not committed.</summary>
    public async Task<BackupInfo> GetBackupAsync(string name, CancellationToken cancellationToken = default)
    {
        byte[] json;
        try
        {
            json = await RepositoryIndex.ReadAllBytesAsync(Store, RepositoryLayout.BackupRecord(name), cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            throw NotFound(name);
        }
        return BackupRecord.Parse(name, json);
    }

    public async Task<BackupReader> OpenBackupAsync(string name, CancellationToken cancellationToken = default)
    {
        var info = await GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
        var header = await ReadManifestHeaderAsync(info, cancellationToken).ConfigureAwait(false);
        return new BackupReader(this, info, header);
    }

    /// <summary>The backup's log (JSON lines), empty if it has none.</summary>
    public async Task<byte[]> ReadBackupLogAsync(string name, CancellationToken cancellationToken = default)
    {
        await GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
        byte[] bytes;
        try
        {
            bytes = await RepositoryIndex.ReadAllBytesAsync(Store, RepositoryLayout.BackupLog(name), cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            return [];
        }
        try
        {
            return SealedObject.Open(Codec, bytes);
        }
        catch (BlobDamagedException e)
        {
            throw new KbException(ErrorIds.BlobCorrupted, KbErrorCategory.InvalidData, name, $"The log of backup '{name}' is damaged: {e.Reason}.");
        }
    }

    /// <summary>
    /// Removes a backup: its record first, so it vanishes at once, then its manifest and log. Its packs stay until a
    /// prune finds nothing references them.
    /// </summary>
    public async Task DeleteBackupAsync(string name, CancellationToken cancellationToken = default)
    {
        await GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
        await Store.DeleteAsync([RepositoryLayout.BackupRecord(name)], cancellationToken).ConfigureAwait(false);
        await Store.DeleteAsync([RepositoryLayout.BackupManifest(name), RepositoryLayout.BackupLog(name)], cancellationToken).ConfigureAwait(false);
    }

    public Task<VerifyResult> VerifyAsync(IReadOnlyCollection<string>? backupNames = null, CancellationToken cancellationToken = default) =>
        new Verifier(this).RunAsync(backupNames, cancellationToken);

    public Task<PruneResult> PruneAsync(PruneOptions? options = null, CancellationToken cancellationToken = default) =>
        new Pruner(this, options ?? new PruneOptions()).RunAsync(cancellationToken);

    /// <summary>Writes a file of a restore (<c>restores/&lt;name&gt;/&lt;file&gt;</c>), sealed like everything else.</summary>
    public Task PutRestoreFileAsync(string restoreName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Store.PutAsync(RepositoryLayout.RestoreFile(restoreName, fileName), new MemoryStream(SealedObject.Seal(Codec, content.Span, out _)), cancellationToken);

    /// <summary>A file of a restore, or null when it does not exist.</summary>
    public async Task<byte[]?> GetRestoreFileAsync(string restoreName, string fileName, CancellationToken cancellationToken = default)
    {
        var key = RepositoryLayout.RestoreFile(restoreName, fileName);
        try
        {
            return OpenSealed(await RepositoryIndex.ReadAllBytesAsync(Store, key, cancellationToken).ConfigureAwait(false), key);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes files of a restore; files that do not exist are ignored.</summary>
    public Task DeleteRestoreFilesAsync(string restoreName, IEnumerable<string> fileNames, CancellationToken cancellationToken = default) =>
        Store.DeleteAsync(fileNames.Select(f => RepositoryLayout.RestoreFile(restoreName, f)).ToList(), cancellationToken);

    /// <summary>The names of every restore that has files.</summary>
    public async Task<IReadOnlyList<string>> ListRestoresAsync(CancellationToken cancellationToken = default)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var info in Store.ListAsync(RepositoryLayout.RestoresPrefix, cancellationToken).ConfigureAwait(false))
        {
            var parts = info.Key.Split('/');
            if (parts.Length == 3)
            {
                names.Add(parts[1]);
            }
        }
        return names.ToList();
    }

    /// <summary>
    /// Saves a schedule definition (plain JSON, readable by every runner). Schedules are the one kind of object that is
    /// replaced in place: a definition is edited, not versioned.
    /// </summary>
    public Task PutScheduleAsync(string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default) =>
        Store.PutAsync(RepositoryLayout.Schedule(name), new MemoryStream(json.ToArray()), cancellationToken);

    public async Task<byte[]?> GetScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RepositoryIndex.ReadAllBytesAsync(Store, RepositoryLayout.Schedule(name), cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await foreach (var info in Store.ListAsync(RepositoryLayout.SchedulesPrefix, cancellationToken).ConfigureAwait(false))
        {
            var file = info.Key[RepositoryLayout.SchedulesPrefix.Length..];
            if (!file.Contains('/') && file.EndsWith(".json", StringComparison.Ordinal))
            {
                names.Add(file[..^".json".Length]);
            }
        }
        return names;
    }

    public Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Store.DeleteAsync([RepositoryLayout.Schedule(name)], cancellationToken);

    internal async Task<ManifestHeader> ReadManifestHeaderAsync(BackupInfo info, CancellationToken cancellationToken)
    {
        var key = RepositoryLayout.BackupManifest(info.Name);
        byte[] bytes;
        try
        {
            bytes = await RepositoryIndex.ReadAllBytesAsync(Store, key, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
        {
            throw new KbException(ErrorIds.ManifestCorrupted, KbErrorCategory.InvalidData, info.Name, $"The manifest of backup '{info.Name}' ({key}) is missing.", e);
        }
        try
        {
            var expected = BackupRecord.ManifestId(info);
            var header = ManifestHeader.Parse(SealedObject.Open(Codec, bytes, expected), Intern);
            if (header.Backup != info.Name)
            {
                throw new FormatException($"it belongs to backup '{header.Backup}'");
            }
            return header;
        }
        catch (Exception e) when (e is BlobDamagedException or FormatException)
        {
            throw new KbException(ErrorIds.ManifestCorrupted, KbErrorCategory.InvalidData, info.Name, $"The manifest of backup '{info.Name}' ({key}) is damaged: {e.Message}.", e);
        }
    }

    private byte[] OpenSealed(byte[] bytes, string key)
    {
        try
        {
            return SealedObject.Open(Codec, bytes);
        }
        catch (BlobDamagedException e)
        {
            throw new KbException(ErrorIds.BlobCorrupted, KbErrorCategory.InvalidData, key, $"'{key}' is damaged: {e.Reason}.");
        }
    }

    /// <summary>One string instance per pack id or resource name, so millions of references share them.</summary>
    internal string Intern(string value)
    {
        lock (_strings)
        {
            if (_strings.TryGetValue(value, out var existing))
            {
                return existing;
            }
            _strings[value] = value;
            return value;
        }
    }

    internal KbException NotFound(string name) =>
        new(ErrorIds.BackupNotFound, KbErrorCategory.ObjectNotFound, name, $"Backup '{name}' does not exist in {Store.Description}.");

    public void Dispose() => _masterKey?.Dispose();
}
