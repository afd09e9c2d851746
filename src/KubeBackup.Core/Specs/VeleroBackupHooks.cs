using KubeBackup.Core.Backup.Hooks;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// Velero's <c>spec.hooks</c>: <c>resources[]</c> of exec hooks run in pods before and after their items are backed up,
/// with Velero's defaults (onError Fail, a 30 second timeout; a zero timeout also means the default, as in Velero).
/// </summary>
internal static class VeleroBackupHooks
{
    private static readonly string[] HooksFields = ["resources"];
    private static readonly string[] ResourceFields =
        ["name", "includedNamespaces", "excludedNamespaces", "includedResources", "excludedResources", "labelSelector", "pre", "post"];
    private static readonly string[] EntryFields = ["exec"];
    private static readonly string[] ExecFields = ["container", "command", "onError", "timeout"];

    // Velero runs backup hooks only when the item is a pod; these are the names a resource filter can give pods by.
    private static readonly HashSet<string> PodNames = new(StringComparer.OrdinalIgnoreCase) { "*", "pods", "pod", "po" };

    public static IReadOnlyList<BackupHookSpec> Read(SpecReader reader, YamlMappingNode spec, string where)
    {
        var path = $"{where}.hooks";
        if (reader.Mapping(spec, "hooks", path) is not { } hooks)
        {
            return [];
        }
        reader.WarnUnknown(hooks, path, "a hooks", HooksFields);
        var resources = reader.Sequence(hooks, "resources", $"{path}.resources")?.Children ?? [];
        var result = new List<BackupHookSpec>();
        for (var i = 0; i < resources.Count; i++)
        {
            if (Resource(reader, resources[i], $"{path}.resources[{i}]") is { } hook)
            {
                result.Add(hook);
            }
        }
        return result;
    }

    private static BackupHookSpec? Resource(SpecReader reader, YamlNode node, string path)
    {
        if (node is not YamlMappingNode resource)
        {
            throw reader.Invalid(node, path, "must be a mapping with name, pre and post");
        }
        reader.WarnUnknown(resource, path, "a hook", ResourceFields);
        var name = reader.String(resource, "name", $"{path}.name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw reader.Invalid(resource, path, "has no name; Velero requires one for every hook");
        }

        var included = reader.StringList(resource, "includedResources", $"{path}.includedResources");
        var excluded = reader.StringList(resource, "excludedResources", $"{path}.excludedResources");
        var hook = new BackupHookSpec(name)
        {
            IncludedNamespaces = reader.StringList(resource, "includedNamespaces", $"{path}.includedNamespaces"),
            ExcludedNamespaces = reader.StringList(resource, "excludedNamespaces", $"{path}.excludedNamespaces"),
            LabelSelector = LabelSelectorText.Read(reader, resource, "labelSelector", $"{path}.labelSelector"),
            Pre = Entries(reader, resource, "pre", path),
            Post = Entries(reader, resource, "post", path),
        };
        // Hooks run in pods only; a resource filter can at most rule pods out, and then Velero never runs the hook.
        if ((included.Count > 0 && !included.Any(PodNames.Contains)) || excluded.Any(PodNames.Contains))
        {
            reader.Warn(resource, $"{path} ('{name}') filters out pods with includedResources/excludedResources, so Velero would never run it; it was skipped.");
            return null;
        }
        return hook;
    }

    private static IReadOnlyList<ExecHook> Entries(SpecReader reader, YamlMappingNode resource, string key, string resourcePath)
    {
        var path = $"{resourcePath}.{key}";
        var entries = reader.Sequence(resource, key, path)?.Children ?? [];
        var result = new List<ExecHook>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entryPath = $"{path}[{i}]";
            if (entries[i] is not YamlMappingNode entry)
            {
                throw reader.Invalid(entries[i], entryPath, "must be a mapping with an exec hook (exec: {container, command, onError, timeout})");
            }
            if (reader.Mapping(entry, "exec", $"{entryPath}.exec") is not { } exec)
            {
                var kinds = string.Join(", ", entry.Children.Keys.Select(k => k.ToString()));
                reader.Warn(entry, $"{entryPath} is not an exec hook ({(kinds.Length > 0 ? kinds : "empty")}); backup hooks run commands with exec only, so it was skipped.");
                continue;
            }
            reader.WarnUnknown(entry, entryPath, "a hook entry", EntryFields);
            result.Add(Exec(reader, exec, $"{entryPath}.exec"));
        }
        return result;
    }

    private static ExecHook Exec(SpecReader reader, YamlMappingNode exec, string path)
    {
        reader.WarnUnknown(exec, path, "an exec hook", ExecFields);
        var command = SpecReader.Get(exec, "command") switch
        {
            null => throw reader.Invalid(exec, path, "has no command; give the command and its arguments as a list"),
            // A single string is one element, as Velero's pod annotation form: no shell splitting is implied.
            YamlScalarNode scalar => [scalar.Value ?? string.Empty],
            _ => reader.StringList(exec, "command", $"{path}.command"),
        };
        if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0]))
        {
            throw reader.Invalid(SpecReader.Get(exec, "command")!, $"{path}.command", "is empty; give the command and its arguments");
        }

        var onError = reader.String(exec, "onError", $"{path}.onError") switch
        {
            null or "" or "Fail" => HookErrorMode.Fail,
            "Continue" => HookErrorMode.Continue,
            var other => throw reader.Invalid(SpecReader.Get(exec, "onError")!, $"{path}.onError", $"is '{other}'; use Fail or Continue"),
        };

        var timeout = ManifestDuration.Read(reader, exec, "timeout", $"{path}.timeout");
        if (timeout < TimeSpan.Zero)
        {
            throw reader.Invalid(SpecReader.Get(exec, "timeout")!, $"{path}.timeout", "is negative; give a positive duration such as 30s or 5m");
        }

        var container = reader.String(exec, "container", $"{path}.container");
        var hook = new ExecHook(string.IsNullOrEmpty(container) ? null : container, command) { OnError = onError };
        return timeout is { } t && t > TimeSpan.Zero ? hook with { Timeout = t } : hook;
    }
}
