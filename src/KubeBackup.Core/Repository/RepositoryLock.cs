using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Repository;

/// <summary>
/// A lock object under <c>locks/</c>. Object stores give no atomic create, so the protocol is restic's: write your lock,
/// then list the others. Since listing sees every write that finished before it (S3's strong consistency), of two
/// conflicting lockers at least one sees the other and backs off; possibly both, never neither. Backups and deletes hold
/// shared locks, prune an exclusive one. A holder refreshes by writing a new lock object and then deleting the old one
/// (no object is rewritten). A lock not refreshed within the stale age, or left by a dead process on this host, is
/// stale: it blocks nothing, and an exclusive locker deletes it (takeover).
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    private readonly IObjectStore _store;
    private readonly RepositoryOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Task? _refresher;
    private string _key;
    private bool _released;

    private RepositoryLock(IObjectStore store, RepositoryOptions options, LockInfo info, string key)
    {
        _store = store;
        _options = options;
        Info = info;
        _key = key;
    }

    public LockInfo Info { get; private set; }

    internal IReadOnlyList<LockInfo> OthersSeen { get; private set; } = [];

    internal static async Task<RepositoryLock> AcquireAsync(IObjectStore store, RepositoryOptions options, bool exclusive, string operation, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.LockWait;
        while (true)
        {
            var info = LockInfo.ForThisProcess(exclusive, operation);
            var key = RepositoryLayout.Lock(info.Id);
            await store.PutAsync(key, new MemoryStream(info.ToJson()), cancellationToken).ConfigureAwait(false);
            var others = new List<LockInfo>();
            LockInfo? conflict = null;
            try
            {
                await foreach (var other in ReadLocksAsync(store, cancellationToken).ConfigureAwait(false))
                {
                    if (other.Id == info.Id)
                    {
                        continue;
                    }
                    if (other.IsStale(options.LockStaleAfter))
                    {
                        if (exclusive)
                        {
                            options.Sink.Warning($"Taking over the stale lock of '{other.Operation}' by {other.Owner} on {other.Host} (pid {other.Pid}, last refreshed {other.RefreshedAt:u}).");
                            await store.DeleteAsync([RepositoryLayout.Lock(other.Id)], cancellationToken).ConfigureAwait(false);
                        }
                        continue;
                    }
                    others.Add(other);
                    if (exclusive || other.Exclusive)
                    {
                        conflict ??= other;
                    }
                }
            }
            catch
            {
                await store.DeleteAsync([key], CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            if (conflict is null)
            {
                var held = new RepositoryLock(store, options, info, key) { OthersSeen = others };
                held._refresher = held.RefreshLoopAsync();
                return held;
            }
            await store.DeleteAsync([key], CancellationToken.None).ConfigureAwait(false);
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new KbException(ErrorIds.RepositoryLocked, KbErrorCategory.ResourceUnavailable, store.Description,
                    $"The repository at {store.Description} is locked by '{conflict.Operation}' ({(conflict.Exclusive ? "exclusive" : "shared")}) of {conflict.Owner} on {conflict.Host}, pid {conflict.Pid}, since {conflict.CreatedAt:u}. " +
                    $"Try again when it has finished; a lock not refreshed for {options.LockStaleAfter} is considered stale and taken over.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(200, 1000)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every lock. A lock that vanishes between the listing and its read is being refreshed (new written, old deleted)
    /// or released, so the scan starts over; a holder must never be missed because it refreshed at the wrong moment.
    /// </summary>
    internal static async IAsyncEnumerable<LockInfo> ReadLocksAsync(IObjectStore store, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var infos = new List<ObjectInfo>();
            await foreach (var info in store.ListAsync(RepositoryLayout.LocksPrefix, cancellationToken).ConfigureAwait(false))
            {
                infos.Add(info);
            }
            var locks = new List<LockInfo>();
            var vanished = false;
            foreach (var info in infos)
            {
                try
                {
                    locks.Add(LockInfo.Parse(await RepositoryIndex.ReadAllBytesAsync(store, info.Key, cancellationToken).ConfigureAwait(false), info));
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.ObjectNotFound)
                {
                    vanished = true;
                }
            }
            if (vanished && attempt < attempts)
            {
                continue;
            }
            if (vanished)
            {
                var now = DateTimeOffset.UtcNow;
                locks.Add(new LockInfo("changing", true, "a lock that kept changing while it was read", "unknown", "unknown", 0, now, now));
            }
            foreach (var parsed in locks)
            {
                yield return parsed;
            }
            yield break;
        }
    }

    /// <summary>True while this lock's object is still in the store (a takeover removes it).</summary>
    internal async Task<bool> IsStillHeldAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _store.StatAsync(_key, cancellationToken).ConfigureAwait(false) is not null;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.LockRefreshInterval, _stop.Token).ConfigureAwait(false);
                await _refreshing.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    var info = Info with { Id = LockInfo.NewId(), RefreshedAt = DateTimeOffset.UtcNow };
                    var key = RepositoryLayout.Lock(info.Id);
                    await _store.PutAsync(key, new MemoryStream(info.ToJson()), _stop.Token).ConfigureAwait(false);
                    var old = _key;
                    (Info, _key) = (info, key);
                    // Not cancellable: once the new lock exists, the old one must go even if the holder is stopping.
                    await _store.DeleteAsync([old], CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _refreshing.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // The holder finds out at its commit point (IsStillHeldAsync); until then the lock simply ages.
            _options.Sink.Warning($"Could not refresh the repository lock: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_refresher is not null)
        {
            await _refresher.ConfigureAwait(false);
        }
        try
        {
            await _store.DeleteAsync([_key], CancellationToken.None).ConfigureAwait(false);
        }
        catch (KbException e)
        {
            _options.Sink.Warning($"Could not remove the repository lock '{_key}': {e.Message}");
        }
        _stop.Dispose();
        _refreshing.Dispose();
    }
}

/// <summary>The content of a lock object.</summary>
public sealed record LockInfo(string Id, bool Exclusive, string Operation, string Owner, string Host, int Pid, DateTimeOffset CreatedAt, DateTimeOffset RefreshedAt)
{
    internal static string NewId() => $"{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Hex.Lower(RandomNumberGenerator.GetBytes(8))}";

    internal static LockInfo ForThisProcess(bool exclusive, string operation)
    {
        var now = DateTimeOffset.UtcNow;
        return new LockInfo(NewId(), exclusive, operation, Environment.UserName, Environment.MachineName, Environment.ProcessId, now, now);
    }

    internal bool IsStale(TimeSpan staleAfter)
    {
        if (RefreshedAt + staleAfter < DateTimeOffset.UtcNow)
        {
            return true;
        }
        if (string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) && Pid != Environment.ProcessId)
        {
            try
            {
                using var process = Process.GetProcessById(Pid);
                return process.HasExited;
            }
            catch (ArgumentException)
            {
                return true;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
        return false;
    }

    internal byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["id"] = Id,
        ["exclusive"] = Exclusive,
        ["operation"] = Operation,
        ["owner"] = Owner,
        ["host"] = Host,
        ["pid"] = Pid,
        ["createdAt"] = CreatedAt.ToString("O"),
        ["refreshedAt"] = RefreshedAt.ToString("O"),
    });

    /// <summary>A lock object; one that cannot be parsed counts as an exclusive lock aged by its object time.</summary>
    internal static LockInfo Parse(byte[] json, ObjectInfo info)
    {
        var id = info.Key[RepositoryLayout.LocksPrefix.Length..];
        try
        {
            if (JsonNode.Parse(json) is JsonObject node
                && node["operation"] is JsonValue operation && node["exclusive"] is JsonValue exclusive
                && DateTimeOffset.TryParse((string?)node["createdAt"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var created)
                && DateTimeOffset.TryParse((string?)node["refreshedAt"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var refreshed))
            {
                return new LockInfo(id, (bool)exclusive, (string)operation!, (string?)node["owner"] ?? "unknown", (string?)node["host"] ?? "unknown",
                    (int?)node["pid"] ?? 0, created, refreshed);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
        }
        return new LockInfo(id, true, "unreadable lock", "unknown", "unknown", 0, info.LastModified, info.LastModified);
    }
}
