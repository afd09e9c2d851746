using System.Text.Json;
using System.Text.Json.Serialization;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>
/// The user's saved storage locations (<c>locations.json</c> in the config folder). At most one is the default;
/// with none saved, the embedded local default is used. Every change rewrites the file atomically under an
/// exclusive lock, so two sessions saving at once never lose each other's change.
/// </summary>
public sealed class StorageLocationCatalog
{
    public const string EmbeddedDefaultName = "default";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public StorageLocationCatalog(UserPaths paths)
    {
        Paths = paths;
    }

    public UserPaths Paths { get; }

    /// <summary>The location used when nothing is saved: a directory in the user's data folder.</summary>
    public StorageLocation EmbeddedDefault => new()
    {
        Name = EmbeddedDefaultName,
        Provider = StorageProvider.FileSystem,
        Path = Paths.EmbeddedRepositoryDirectory,
        Default = true,
    };

    /// <summary>The saved locations; the embedded default when none are saved.</summary>
    public IReadOnlyList<StorageLocation> List()
    {
        var saved = Read();
        return saved.Count > 0 ? saved : [EmbeddedDefault];
    }

    public bool IsEmbeddedDefault(StorageLocation location) => Read().Count == 0 && location == EmbeddedDefault;

    public StorageLocation Get(string name) =>
        List().FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KbException(ErrorIds.StorageLocationNotFound, KbErrorCategory.ObjectNotFound, name,
            $"No storage location is named '{name}'. Saved locations: {Names(List())}. Add one with New-KbStorageLocation, or pass a URL such as s3://bucket/prefix.");

    /// <summary>A location saved in the config file; the embedded default is not one, so it cannot be changed or removed.</summary>
    public StorageLocation GetSaved(string name)
    {
        var saved = Read();
        return saved.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KbException(ErrorIds.StorageLocationNotFound, KbErrorCategory.ObjectNotFound, name, saved.Count == 0 && string.Equals(name, EmbeddedDefaultName, StringComparison.OrdinalIgnoreCase)
                ? $"'{EmbeddedDefaultName}' is the embedded local location, used because no location is saved; it has no settings to change or remove. Save a location with New-KbStorageLocation."
                : $"No saved storage location is named '{name}'. Saved locations: {Names(saved)}.");
    }

    /// <summary>The default location: the one marked default, the only one saved, or the embedded default.</summary>
    public StorageLocation GetDefault()
    {
        var saved = Read();
        return saved.FirstOrDefault(l => l.Default) ?? (saved.Count == 1 ? saved[0] : null) ?? (saved.Count == 0 ? EmbeddedDefault
            : throw new KbException(ErrorIds.StorageLocationNotFound, KbErrorCategory.ObjectNotFound, null,
                $"Several storage locations are saved ({Names(saved)}) and none is the default. Pass -StorageLocation, or mark one with Set-KbStorageLocation -Default."));
    }

    public StorageLocation Add(StorageLocation location) => Update(saved =>
    {
        if (saved.Any(l => string.Equals(l.Name, location.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new KbException(ErrorIds.StorageLocationExists, KbErrorCategory.ResourceExists, location.Name,
                $"A storage location named '{location.Name}' already exists. Change it with Set-KbStorageLocation or remove it first.");
        }
        saved.Add(location);
        return location;
    });

    public StorageLocation Replace(string name, Func<StorageLocation, StorageLocation> change) => Update(saved =>
    {
        var index = saved.FindIndex(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new KbException(ErrorIds.StorageLocationNotFound, KbErrorCategory.ObjectNotFound, name,
                $"No saved storage location is named '{name}'. Saved locations: {Names(saved)}.");
        }
        saved[index] = change(saved[index]);
        return saved[index];
    });

    public StorageLocation Remove(string name) => Update(saved =>
    {
        var location = saved.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KbException(ErrorIds.StorageLocationNotFound, KbErrorCategory.ObjectNotFound, name,
                $"No saved storage location is named '{name}'. Saved locations: {Names(saved)}.");
        saved.Remove(location);
        return location;
    });

    private List<StorageLocation> Read()
    {
        if (!File.Exists(Paths.LocationsFile))
        {
            return [];
        }
        using var stream = OpenShared(FileMode.Open, FileAccess.Read, FileShare.Read);
        return Deserialize(stream);
    }

    private StorageLocation Update(Func<List<StorageLocation>, StorageLocation> change)
    {
        Directory.CreateDirectory(Paths.ConfigDirectory);
        // The lock file serialises writers across processes; the rename makes each write all-or-nothing.
        using var gate = OpenShared(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, Paths.LocationsFile + ".lock");
        var saved = File.Exists(Paths.LocationsFile) ? Deserialize(File.OpenRead(Paths.LocationsFile), dispose: true) : [];
        var result = change(saved);
        if (result.Default)
        {
            saved = saved.Select(l => l.Name == result.Name ? l : l with { Default = false }).ToList();
        }
        var temporary = Paths.LocationsFile + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new CatalogFile(1, saved), Json));
        File.Move(temporary, Paths.LocationsFile, overwrite: true);
        return result;
    }

    private List<StorageLocation> Deserialize(Stream stream, bool dispose = false)
    {
        try
        {
            var file = JsonSerializer.Deserialize<CatalogFile>(stream, Json);
            return file?.Locations?.ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw new KbException(ErrorIds.StorageLocationConfigInvalid, KbErrorCategory.InvalidData, Paths.LocationsFile,
                $"The storage location file '{Paths.LocationsFile}' is not valid: {e.Message} Fix or delete it.", e);
        }
        finally
        {
            if (dispose)
            {
                stream.Dispose();
            }
        }
    }

    private FileStream OpenShared(FileMode mode, FileAccess access, FileShare share, string? path = null)
    {
        path ??= Paths.LocationsFile;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, mode, access, share);
            }
            catch (IOException) when (attempt < 100 && File.Exists(path))
            {
                Thread.Sleep(50); // another session holds the lock for a few milliseconds
            }
        }
    }

    private static string Names(IEnumerable<StorageLocation> locations)
    {
        var names = locations.Select(l => $"'{l.Name}'").ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }

    private sealed record CatalogFile(int Version, IReadOnlyList<StorageLocation> Locations);
}
