namespace KubeApiEmulator.Storage;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A change to one object; for deletions, Object is the last state with the deletion's resourceVersion.</summary>
public sealed record WatchEvent(WatchEventType Type, string StorageKey, StoredObject Object, StoredObject? Previous)
{
    public string TypeName => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
