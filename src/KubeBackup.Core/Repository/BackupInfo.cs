using System.Text.Json.Nodes;

namespace KubeBackup.Core.Repository;

/// <summary>
/// A committed backup: its record (the JSON the backup cmdlet wrote, plus the <c>repository</c> member this layer adds)
/// and the fields the repository itself needs.
/// </summary>
public sealed record BackupInfo(string Name, DateTimeOffset Time, string? Parent, JsonObject Record, BackupStats Stats);

/// <summary>What a backup holds and what it cost: logical bytes of its items, and what it added to the store.</summary>
public sealed record BackupStats(long Items, long Streams, long LogicalBytes, long Blobs, long NewBlobs, long BytesAdded, int PacksAdded);
