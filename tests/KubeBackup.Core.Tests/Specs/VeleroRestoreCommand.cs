using System.Text;

namespace KubeBackup.Core.Tests.Specs;

/// <summary>
/// The Restore that <c>velero restore create</c> submits for a command line, as its <c>-o yaml</c> prints it: the flags
/// the seed uses, the CLI's default includedNamespaces ['*'], a name from the backup and the time when none is given,
/// and the empty structs Go serializes (hooks, itemOperationTimeout: 0s, uploaderConfig, status).
/// </summary>
internal static class VeleroRestoreCommand
{
    private const string Create = "velero restore create";

    /// <summary>The <c>velero restore create</c> commands of a shell script, each joined over its <c>\</c> continuations.</summary>
    public static IReadOnlyList<string> Commands(string script) =>
        script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(Create, StringComparison.Ordinal))
            .ToList();

    public static string ToManifest(string command)
    {
        var args = command[Create.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? name = null;
        var spec = new List<string>();
        var namespaces = "  includedNamespaces:\n  - '*'\n";
        string? backup = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                name = args[i];
                continue;
            }
            var value = args[++i];
            switch (args[i - 1])
            {
                case "--from-backup":
                    backup = value;
                    spec.Add($"  backupName: {value}\n");
                    break;
                case "--include-namespaces":
                    namespaces = List("includedNamespaces", value);
                    break;
                case "--include-resources":
                    spec.Add(List("includedResources", value));
                    break;
                case "--exclude-resources":
                    spec.Add(List("excludedResources", value));
                    break;
                case "--namespace-mappings":
                    spec.Add("  namespaceMapping:\n" + string.Concat(value.Split(',').Select(m => $"    {m.Split(':')[0]}: {m.Split(':')[1]}\n")));
                    break;
                default:
                    throw new ArgumentException($"the seed does not use {args[i - 1]}; add it here when a test needs it");
            }
        }
        var yaml = new StringBuilder("apiVersion: velero.io/v1\nkind: Restore\nmetadata:\n  creationTimestamp: null\n");
        yaml.Append($"  name: {name ?? backup + "-20260118120000"}\n  namespace: velero\nspec:\n");
        // Go prints the fields in struct order: backupName, ..., includedNamespaces, ...; the reader does not care.
        spec.Add("  hooks: {}\n");
        spec.Add(namespaces);
        spec.Add("  itemOperationTimeout: 0s\n");
        spec.Add("  uploaderConfig: {}\n");
        yaml.Append(string.Concat(spec)).Append("status: {}\n");
        return yaml.ToString();
    }

    private static string List(string field, string commaSeparated) =>
        $"  {field}:\n" + string.Concat(commaSeparated.Split(',').Select(v => $"  - {v}\n"));
}
