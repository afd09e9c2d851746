using KubeBackup.Core.Errors;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroBackupSpecLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-spec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TextWithANewlineIsText()
    {
        var manifest = VeleroBackupSpec.Load(SeedManifests.BackupWithHooks, _directory);
        Assert.Equal("mysql-backup-with-hooks", manifest.Name);
    }

    [Theory]
    [InlineData("{\"apiVersion\": \"velero.io/v1\", \"kind\": \"Backup\", \"metadata\": {\"name\": \"one-line\"}}")]
    [InlineData("  {apiVersion: velero.io/v1, kind: Backup, metadata: {name: one-line}}")]
    public void OneLineJsonOrFlowYamlIsText(string text)
    {
        Assert.Equal("one-line", VeleroBackupSpec.Load(text, _directory).Name);
    }

    [Theory]
    [InlineData("apiVersion: velero.io/v1")]
    [InlineData("kind: Backup")]
    public void OneLineStartingWithApiVersionOrKindIsTextNotAPath(string text)
    {
        // Read as text, it lacks the other field; read as a path, it would be SpecFileNotFound.
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load(text, _directory));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal("<text>", e.Target);
    }

    [Theory]
    [InlineData("kind-backup.yaml")]
    [InlineData("apiVersion.yaml")]
    public void AFileNamedLikeAFieldIsAPath(string name)
    {
        File.WriteAllText(Path.Combine(_directory, name), "apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: from-file }\n");
        Assert.Equal("from-file", VeleroBackupSpec.Load(name, _directory).Name);
    }

    [Fact]
    public void WindowsLineEndingsAreText()
    {
        var manifest = VeleroBackupSpec.Load(SeedManifests.BackupWithHooks.ReplaceLineEndings("\r\n"), _directory);
        Assert.Equal("mysql-backup-with-hooks", manifest.Name);
        Assert.Equal("app=mysql", manifest.Spec.LabelSelector);
    }

    [Fact]
    public void ARelativePathResolvesAgainstTheBaseDirectory()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "specs"));
        var path = Path.Combine(_directory, "specs", "mysql.yaml");
        File.WriteAllText(path, SeedManifests.BackupWithHooks + "\n  snapshotMoveData: true\n");

        var manifest = VeleroBackupSpec.Load(Path.Combine("specs", "mysql.yaml"), _directory);

        Assert.Equal("mysql-backup-with-hooks", manifest.Name);
        // Messages name the file by its full path.
        Assert.StartsWith($"{path}, line ", Assert.Single(manifest.Warnings));
    }

    [Fact]
    public void AnAbsolutePathIgnoresTheBaseDirectory()
    {
        var path = Path.Combine(_directory, "b.yaml");
        File.WriteAllText(path, "apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: abs }\n");
        Assert.Equal("abs", VeleroBackupSpec.Load(path, Path.GetTempPath()).Name);
    }

    [Fact]
    public void AMissingFileIsSpecFileNotFound()
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load("missing.yaml", _directory));
        Assert.Equal(ErrorIds.SpecFileNotFound, e.ErrorId);
        Assert.Equal(KbErrorCategory.ObjectNotFound, e.Category);
        Assert.Equal(Path.Combine(_directory, "missing.yaml"), e.Target);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void ADirectoryIsSpecFileNotFound()
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load(".", _directory));
        Assert.Equal(ErrorIds.SpecFileNotFound, e.ErrorId);
        Assert.Contains("is a directory", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyArgumentIsSpecFileNotFound(string value)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load(value, _directory));
        Assert.Equal(ErrorIds.SpecFileNotFound, e.ErrorId);
    }

    [Fact]
    public void AHomePathExpandsTheTilde()
    {
        var name = $"kb-spec-{Guid.NewGuid():N}.yaml";
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load($"~/{name}", _directory));
        Assert.Equal(ErrorIds.SpecFileNotFound, e.ErrorId);
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), name), e.Target);
    }

    [Fact]
    public void ErrorsInAFileNameTheFile()
    {
        var path = Path.Combine(_directory, "bad.yaml");
        File.WriteAllText(path, "apiVersion: velero.io/v1\nkind: Backup\nspec:\n  includedNamespaces: [a\n");
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load("bad.yaml", _directory));
        Assert.Equal(ErrorIds.SpecYamlInvalid, e.ErrorId);
        Assert.Equal(path, e.Target);
        Assert.StartsWith($"{path} is not valid YAML: line ", e.Message);
    }

    [Fact]
    public void AFileLockedByAnotherWriterIsSpecFileUnreadable()
    {
        var path = Path.Combine(_directory, "locked.yaml");
        File.WriteAllText(path, "apiVersion: velero.io/v1\nkind: Backup\n");
        using var writer = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Load(path, _directory));

        Assert.Equal(ErrorIds.SpecFileUnreadable, e.ErrorId);
        Assert.Equal(KbErrorCategory.ReadError, e.Category);
        Assert.Equal(path, e.Target);
    }
}
