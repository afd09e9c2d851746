using System.Collections;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Backup.Hooks;

/// <summary>
/// Hooks given as dictionaries (PowerShell hashtables) in the shape of Velero's <c>hooks.resources[]</c>:
/// <c>@{ Name='mysql'; IncludedNamespaces='production'; LabelSelector='app=mysql';
/// Pre=@{ Container='mysql'; Command='/bin/bash','-c','...'; OnError='Fail'; Timeout='60s' }; Post=... }</c>.
/// Keys are case-insensitive; an unknown key or a wrong value is BackupSpecInvalid naming it.
/// </summary>
public static class HookSpecDictionary
{
    private static readonly string[] SpecKeys = ["Name", "IncludedNamespaces", "ExcludedNamespaces", "LabelSelector", "Pre", "Post"];
    private static readonly string[] ExecKeys = ["Container", "Command", "OnError", "Timeout"];

    public static BackupHookSpec Parse(IDictionary hook, int index)
    {
        var where = $"hook {index + 1}";
        var values = Normalize(hook, SpecKeys, where, ("IncludeNamespace", "IncludedNamespaces"), ("ExcludeNamespace", "ExcludedNamespaces"), ("Selector", "LabelSelector"));
        var name = values.TryGetValue("Name", out var n) ? Text(n, where, "Name") : $"hook-{index + 1}";
        var spec = new BackupHookSpec(name)
        {
            IncludedNamespaces = values.TryGetValue("IncludedNamespaces", out var inc) ? Texts(inc, where, "IncludedNamespaces") : [],
            ExcludedNamespaces = values.TryGetValue("ExcludedNamespaces", out var exc) ? Texts(exc, where, "ExcludedNamespaces") : [],
            LabelSelector = values.TryGetValue("LabelSelector", out var sel) ? Text(sel, where, "LabelSelector") : null,
            Pre = values.TryGetValue("Pre", out var pre) ? Execs(pre, $"{where} ('{name}') Pre") : [],
            Post = values.TryGetValue("Post", out var post) ? Execs(post, $"{where} ('{name}') Post") : [],
        };
        if (spec.Pre.Count == 0 && spec.Post.Count == 0)
        {
            throw Invalid(where, $"Hook '{name}' has neither Pre nor Post commands.");
        }
        return spec;
    }

    private static List<ExecHook> Execs(object? value, string where)
    {
        var items = value is IDictionary single ? [single] : value is IEnumerable list and not string ? list.Cast<object?>().ToList() : [value];
        return items.Select((item, i) =>
        {
            var at = $"{where}[{i}]";
            if (item is not IDictionary exec)
            {
                throw Invalid(at, $"{at} must be a hashtable with Command (and optionally Container, OnError, Timeout).");
            }
            var values = Normalize(exec, ExecKeys, at);
            var command = values.TryGetValue("Command", out var c) ? Texts(c, at, "Command") : [];
            if (command.Count == 0 || command.Any(string.IsNullOrEmpty))
            {
                throw Invalid(at, $"{at} needs a Command: a string or an array such as '/bin/sh','-c','sync'.");
            }
            var onError = HookErrorMode.Fail;
            if (values.TryGetValue("OnError", out var mode) && !Enum.TryParse(Text(mode, at, "OnError"), ignoreCase: true, out onError))
            {
                throw Invalid(at, $"{at} OnError must be Fail or Continue, not '{mode}'.");
            }
            var timeout = TimeSpan.FromSeconds(30);
            if (values.TryGetValue("Timeout", out var t))
            {
                timeout = t switch
                {
                    TimeSpan span => span,
                    string text when DurationParser.TryParse(text, out var parsed) => parsed,
                    int seconds => TimeSpan.FromSeconds(seconds),
                    _ => throw Invalid(at, $"{at} Timeout '{t}' is not a duration (30s, 2m, or a TimeSpan)."),
                };
                if (timeout <= TimeSpan.Zero)
                {
                    throw Invalid(at, $"{at} Timeout must be positive.");
                }
            }
            return new ExecHook(values.TryGetValue("Container", out var container) ? Text(container, at, "Container") : null, command)
            {
                OnError = onError,
                Timeout = timeout,
            };
        }).ToList();
    }

    private static Dictionary<string, object?> Normalize(IDictionary dictionary, string[] keys, string where, params (string Alias, string Key)[] aliases)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = entry.Key?.ToString() ?? "";
            key = aliases.FirstOrDefault(a => a.Alias.Equals(key, StringComparison.OrdinalIgnoreCase)).Key ?? key;
            var known = keys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid(where, $"{where}: '{entry.Key}' is not a hook setting; use {string.Join(", ", keys)}.");
            values[known] = entry.Value;
        }
        return values;
    }

    private static string Text(object? value, string where, string key) =>
        value is string text && text.Length > 0 ? text : throw Invalid(where, $"{where}: {key} must be a non-empty string.");

    private static List<string> Texts(object? value, string where, string key) => value switch
    {
        string text => [text],
        IEnumerable list => list.Cast<object?>().Select(v => v as string ?? throw Invalid(where, $"{where}: every {key} value must be a string.")).ToList(),
        _ => throw Invalid(where, $"{where}: {key} must be a string or an array of strings."),
    };

    private static KbException Invalid(string where, string message) => new(ErrorIds.BackupSpecInvalid, KbErrorCategory.InvalidArgument, where, message);
}
