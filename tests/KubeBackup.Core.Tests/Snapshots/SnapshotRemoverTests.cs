using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Snapshots;

/// <summary>Deleting snapshots against the emulator's snapshot controller, and the contents KubeBackup backups retained.</summary>
public sealed class SnapshotRemoverTests : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;
    private VolumeSnapshotClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync();
        _emulator.Cluster.LoadYaml(SnapshotTakerTests.Claims);
        _emulator.Controllers.SnapshotReadyDelay = TimeSpan.FromMilliseconds(10);
        await SnapshotTakerTests.WaitBoundAsync(_emulator, "prod", "data-db-0", "uploads");
        _client = new VolumeSnapshotClient(ClusterTestKit.Connect(_emulator));
        var request = new SnapshotRequest { Timeout = TimeSpan.FromSeconds(10) };
        var taker = new SnapshotTaker(_client);
        var claims = (await _client.ListClaimsAsync(["prod"], null, default)).Where(c => c.Name is "data-db-0" or "uploads").ToList();
        var results = await taker.TakeAsync(await taker.PlanAsync(claims, request, default), request, wait: true, default);
        Assert.All(results, r => Assert.Equal(SnapshotOutcome.Ready, r.Status));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    private async Task<VolumeSnapshotInfo> SnapshotOfAsync(string claim) =>
        Assert.Single(await _client.ListSnapshotsAsync(["prod"], $"source-pvc={claim}", default));

    private async Task RetainAsync(string content, bool byKubeBackup)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Retain" } };
        if (byKubeBackup)
        {
            patch["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SnapshotLabels.RetainedByAnnotation] = "backup/nightly-1" } };
        }
        await _client.PatchContentAsync(content, patch, default);
    }

    private async Task<bool> GoneAsync(string content)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await _client.GetContentAsync(content, default) is null)
            {
                return true;
            }
            await Task.Delay(20);
        }
        return false;
    }

    [Fact]
    public async Task AContentABackupRetainedIsSwitchedToDeleteAndGoesWithItsSnapshot()
    {
        var snapshot = await SnapshotOfAsync("data-db-0");
        var content = snapshot.ContentName!;
        await RetainAsync(content, byKubeBackup: true);

        var removal = await new SnapshotRemover(_client).RemoveAsync("prod", snapshot.Name, default);

        Assert.True(removal.Deleted);
        Assert.Equal(content, removal.ReleasedContent);
        Assert.Null(await _client.GetSnapshotAsync("prod", snapshot.Name, default));
        Assert.True(await GoneAsync(content), $"Content {content} is still there.");
    }

    [Fact]
    public async Task AContentRetainedByAnythingElseStays()
    {
        var snapshot = await SnapshotOfAsync("uploads");
        await RetainAsync(snapshot.ContentName!, byKubeBackup: false);

        var removal = await new SnapshotRemover(_client).RemoveAsync(snapshot, default);

        Assert.Null(removal.ReleasedContent);
        Assert.Null(await _client.GetSnapshotAsync("prod", snapshot.Name, default));
        await Task.Delay(200);
        var kept = await _client.GetContentAsync(snapshot.ContentName!, default);
        Assert.Equal("Retain", (string?)kept?["spec"]?["deletionPolicy"]);
    }

    [Fact]
    public async Task AContentWithTheDeletePolicyIsDeletedByTheController()
    {
        var snapshot = await SnapshotOfAsync("uploads");

        var removal = await new SnapshotRemover(_client).RemoveAsync(snapshot, default);

        Assert.Null(removal.ReleasedContent);
        Assert.True(await GoneAsync(snapshot.ContentName!));
    }

    [Fact]
    public async Task ASnapshotThatDoesNotExistIsSnapshotNotFound()
    {
        var e = await Assert.ThrowsAsync<KbException>(() => new SnapshotRemover(_client).RemoveAsync("prod", "no-such-snapshot", default));
        Assert.Equal(ErrorIds.SnapshotNotFound, e.ErrorId);
        Assert.Equal(KbErrorCategory.ObjectNotFound, e.Category);
        Assert.Equal("prod/no-such-snapshot", e.Target);

        var listed = await SnapshotOfAsync("uploads");
        Assert.True((await new SnapshotRemover(_client).RemoveAsync(listed, default)).Deleted);
        Assert.False((await new SnapshotRemover(_client).RemoveAsync(listed, default)).Deleted);
    }
}
