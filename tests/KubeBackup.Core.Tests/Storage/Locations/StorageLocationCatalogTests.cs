using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Core.Tests.Storage.Locations;

public sealed class StorageLocationCatalogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-catalog-").FullName;
    private readonly StorageLocationCatalog _catalog;

    public StorageLocationCatalogTests()
    {
        _catalog = new StorageLocationCatalog(new UserPaths(Path.Combine(_directory, "config"), Path.Combine(_directory, "data")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WithNothingSavedTheEmbeddedDefaultIsUsedAndSaysWhere()
    {
        var location = Assert.Single(_catalog.List());
        Assert.Equal(StorageProvider.FileSystem, location.Provider);
        Assert.Equal(Path.Combine(_directory, "data", "repository"), location.Path);
        Assert.True(_catalog.IsEmbeddedDefault(location));
        Assert.Equal(location, _catalog.GetDefault());
        Assert.False(File.Exists(_catalog.Paths.LocationsFile));
    }

    [Fact]
    public void LocationsAreSavedAndReadBack()
    {
        var s3 = Location("prod", "s3://bucket/prod?region=us-east-1");
        _catalog.Add(s3);

        var reread = new StorageLocationCatalog(_catalog.Paths);
        Assert.Equal(s3, Assert.Single(reread.List()));
        Assert.Equal(s3, reread.GetDefault()); // the only one saved
        Assert.Equal(s3, reread.Get("PROD")); // names are case-insensitive
        Assert.False(reread.IsEmbeddedDefault(s3));
    }

    [Fact]
    public void OnlyOneLocationIsTheDefault()
    {
        _catalog.Add(Location("a", "file:///a") with { Default = true });
        _catalog.Add(Location("b", "file:///b") with { Default = true });

        Assert.Equal("b", _catalog.GetDefault().Name);
        Assert.Single(_catalog.List(), l => l.Default);

        _catalog.Replace("a", l => l with { Default = true });
        Assert.Equal("a", _catalog.GetDefault().Name);
    }

    [Fact]
    public void SeveralWithoutADefaultAskForOne()
    {
        _catalog.Add(Location("a", "file:///a"));
        _catalog.Add(Location("b", "file:///b"));
        var error = Assert.Throws<KbException>(() => _catalog.GetDefault());
        Assert.Equal(ErrorIds.StorageLocationNotFound, error.ErrorId);
        Assert.Contains("-Default", error.Message);
    }

    [Fact]
    public void DuplicateAndMissingNames()
    {
        _catalog.Add(Location("prod", "file:///a"));
        Assert.Equal(ErrorIds.StorageLocationExists, Assert.Throws<KbException>(() => _catalog.Add(Location("Prod", "file:///b"))).ErrorId);
        Assert.Equal(ErrorIds.StorageLocationNotFound, Assert.Throws<KbException>(() => _catalog.Get("dr")).ErrorId);
        Assert.Equal(ErrorIds.StorageLocationNotFound, Assert.Throws<KbException>(() => _catalog.Remove("dr")).ErrorId);
        Assert.Equal(ErrorIds.StorageLocationNotFound, Assert.Throws<KbException>(() => _catalog.Replace("dr", l => l)).ErrorId);
    }

    [Fact]
    public void RemoveForgetsOnlyTheConfiguration()
    {
        _catalog.Add(Location("prod", "file:///a"));
        _catalog.Remove("prod");
        Assert.True(_catalog.IsEmbeddedDefault(Assert.Single(_catalog.List())));
    }

    [Fact]
    public void ConcurrentWritersLoseNothing()
    {
        Parallel.For(0, 40, i => new StorageLocationCatalog(_catalog.Paths).Add(Location($"loc{i}", $"file:///l{i}")));
        Assert.Equal(40, _catalog.List().Count);
    }

    [Fact]
    public void ACorruptFileIsReportedWithItsPath()
    {
        Directory.CreateDirectory(_catalog.Paths.ConfigDirectory);
        File.WriteAllText(_catalog.Paths.LocationsFile, "{ not json");
        var error = Assert.Throws<KbException>(() => _catalog.List());
        Assert.Equal(ErrorIds.StorageLocationConfigInvalid, error.ErrorId);
        Assert.Equal(_catalog.Paths.LocationsFile, error.Target);
    }

    private static StorageLocation Location(string name, string url) => StorageLocationUrl.Parse(url, name);
}
