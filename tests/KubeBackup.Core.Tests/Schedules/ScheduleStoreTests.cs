using System.Text;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Schedules;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Repository;
using KubeBackup.Core.Tests.Storage;
using KubeBackup.Core.Tests.Storage.Servers;
using static KubeBackup.Core.Tests.Schedules.ScheduleCronTests;

namespace KubeBackup.Core.Tests.Schedules;

/// <summary>Schedule CRUD, the same on every provider: schedules live in the storage location so every runner sees them.</summary>
public abstract class ScheduleStoreContract : RepositoryTestBase, IAsyncLifetime
{
    private DateTimeOffset _now = Utc(2026, 11, 24, 7);
    private BackupRepository? _repository;

    internal BackupRepository Repository => _repository!;

    internal ScheduleStore Schedules => new(Repository, () => _now);

    protected abstract Task<BackupRepository> CreateRepositoryAsync();

    public async Task InitializeAsync() => _repository = await CreateRepositoryAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    internal static BackupSchedule Daily(string name = "daily") => new()
    {
        Name = name,
        Cron = "CRON_TZ=Europe/Berlin 30 2 * * *",
        Description = "nightly, Berlin time",
        Template = new BackupSpec
        {
            IncludedNamespaces = ["production", "staging"],
            ExcludedResources = ["events", "events.events.k8s.io"],
            LabelSelector = "tier in (web,db)",
            Ttl = TimeSpan.FromDays(30),
            SnapshotVolumes = true,
            SnapshotTimeout = TimeSpan.FromMinutes(3),
            StorageLocation = "default",
            Labels = new Dictionary<string, string> { ["team"] = "shop" },
            Hooks = [new BackupHookSpec("flush") { IncludedNamespaces = ["production"], Pre = [new ExecHook("mysql", ["/bin/sh", "-c", "sync"])] }],
        },
    };

    [Fact]
    public async Task CreateGetListUpdateDelete()
    {
        var created = await Schedules.CreateAsync(Daily());

        // The zone prefix is moved into the zone; the times are the store's clock.
        Assert.Equal("30 2 * * *", created.Cron);
        Assert.Equal("Europe/Berlin", created.TimeZone);
        Assert.Equal(_now, created.Created);
        Assert.Equal(_now, created.Updated);

        var read = await Schedules.GetAsync("daily");
        AssertSame(created, read);
        Assert.Equal(["daily"], (await Schedules.ListAsync()).Select(s => s.Name));

        _now += TimeSpan.FromHours(1);
        var paused = await Schedules.UpdateAsync(read with { Paused = true, Created = default });
        Assert.True(paused.Paused);
        Assert.Equal(created.Created, paused.Created);
        Assert.Equal(_now, paused.Updated);
        Assert.True((await Schedules.GetAsync("daily")).Paused);

        await Schedules.CreateAsync(Daily("another") with { Cron = "@every 6h" });
        Assert.Equal(["another", "daily"], (await Schedules.ListAsync()).Select(s => s.Name));

        await Schedules.DeleteAsync("daily");
        Assert.Equal(["another"], (await Schedules.ListAsync()).Select(s => s.Name));
        Assert.Equal(ErrorIds.ScheduleNotFound, (await Assert.ThrowsAsync<KbException>(() => Schedules.GetAsync("daily"))).ErrorId);
    }

    [Fact]
    public async Task ASecondCreateOfOneNameIsScheduleExistsAndOverwritesNothing()
    {
        await Schedules.CreateAsync(Daily());

        var e = await Assert.ThrowsAsync<KbException>(() => Schedules.CreateAsync(Daily() with { Cron = "0 * * * *" }));

        Assert.Equal(ErrorIds.ScheduleExists, e.ErrorId);
        Assert.Equal(KbErrorCategory.ResourceExists, e.Category);
        Assert.Equal("30 2 * * *", (await Schedules.GetAsync("daily")).Cron);
    }

    [Fact]
    public async Task MissingSchedulesAreScheduleNotFound()
    {
        foreach (var action in new Func<Task>[] { () => Schedules.GetAsync("nope"), () => Schedules.DeleteAsync("nope"), () => Schedules.UpdateAsync(Daily("nope")) })
        {
            var e = await Assert.ThrowsAsync<KbException>(action);
            Assert.Equal(ErrorIds.ScheduleNotFound, e.ErrorId);
            Assert.Equal(KbErrorCategory.ObjectNotFound, e.Category);
            Assert.Equal("nope", e.Target);
        }
    }

    [Fact]
    public async Task InvalidDefinitionsAreRefusedBeforeAnythingIsWritten()
    {
        var bad = new (BackupSchedule Schedule, string ErrorId)[]
        {
            (Daily() with { Cron = "0 2 * *" }, ErrorIds.ScheduleCronInvalid),
            (Daily() with { Cron = "0 2 * * *", TimeZone = "Europe/Atlantis" }, ErrorIds.ScheduleTimeZoneUnknown),
            (Daily() with { Template = new BackupSpec { Ttl = TimeSpan.Zero } }, ErrorIds.ScheduleInvalid),
            (Daily() with { Template = new BackupSpec { Ttl = TimeSpan.FromDays(-1) } }, ErrorIds.ScheduleInvalid),
            (Daily("no/slashes"), ErrorIds.ScheduleInvalid),
        };
        foreach (var (schedule, errorId) in bad)
        {
            Assert.Equal(errorId, (await Assert.ThrowsAsync<KbException>(() => Schedules.CreateAsync(schedule))).ErrorId);
        }
        Assert.Empty(await Schedules.ListAsync());
    }

    [Fact]
    public async Task AnUnreadableRecordIsAWarningInTheListAndAnErrorWhenAskedFor()
    {
        await Schedules.CreateAsync(Daily());
        await Repository.PutScheduleAsync("broken", Encoding.UTF8.GetBytes("{\"kind\":\"Backup\"}"));

        Assert.Equal(["daily"], (await Schedules.ListAsync()).Select(s => s.Name));
        Assert.Contains(Sink.Warnings, w => w.Contains("schedule 'broken'"));
        Assert.Equal(ErrorIds.ScheduleRecordInvalid, (await Assert.ThrowsAsync<KbException>(() => Schedules.GetAsync("broken"))).ErrorId);
    }

    internal static void AssertSame(BackupSchedule expected, BackupSchedule actual)
    {
        Assert.Equal(Encoding.UTF8.GetString(ScheduleRecordJson.Serialize(expected)), Encoding.UTF8.GetString(ScheduleRecordJson.Serialize(actual)));
        Assert.Equal(expected.Template.IncludedNamespaces, actual.Template.IncludedNamespaces);
        Assert.Equal(expected.Template.Labels, actual.Template.Labels);
        Assert.Equal(expected.Template.Ttl, actual.Template.Ttl);
        Assert.Equal(expected.Template.SnapshotTimeout, actual.Template.SnapshotTimeout);
        Assert.Equal(expected.Template.Hooks.Single().Pre.Single().Command, actual.Template.Hooks.Single().Pre.Single().Command);
        Assert.Equal((expected.Cron, expected.TimeZone, expected.Paused, expected.Description, expected.Created), (actual.Cron, actual.TimeZone, actual.Paused, actual.Description, actual.Created));
    }
}

public sealed class FileSystemScheduleStoreTests : ScheduleStoreContract
{
    protected override Task<BackupRepository> CreateRepositoryAsync() => InitAsync();

    [Fact]
    public async Task TheRecordIsPlainJsonAtSchedulesNameJson()
    {
        await Schedules.CreateAsync(Daily());

        var text = await File.ReadAllTextAsync(Path.Combine(Directory, "store", "schedules", "daily.json"));
        Assert.Contains("\"kind\": \"Schedule\"", text);
        Assert.Contains("\"schedule\": \"30 2 * * *\"", text);
        Assert.Contains("\"timeZone\": \"Europe/Berlin\"", text);
        Assert.Contains("\"ttl\": \"720h0m0s\"", text);
    }

    [Fact]
    public void ARecordNamingAnotherScheduleIsInvalid()
    {
        var json = ScheduleRecordJson.Serialize(Daily("one"));

        var e = Assert.Throws<KbException>(() => ScheduleRecordJson.Parse("two", json));

        Assert.Equal(ErrorIds.ScheduleRecordInvalid, e.ErrorId);
        Assert.Contains("'one'", e.Message);
    }
}

[Collection(S3rverCollection.Name)]
public sealed class S3ScheduleStoreTests(S3rverFixture s3rver) : ScheduleStoreContract
{
    protected override async Task<BackupRepository> CreateRepositoryAsync()
    {
        IObjectStore store = ObjectStoreFactory.Create(s3rver.S3Location(await s3rver.CreateBucketAsync()), StorageTestOptions.With());
        return await InitAsync(store: store);
    }
}
