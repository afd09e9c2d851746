using k8s;
using k8s.KubeConfigModels;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster;

/// <summary>A kubeconfig as loaded, with where it came from for messages (never its contents).</summary>
public sealed record LoadedKubeconfig(K8SConfiguration Configuration, string Origin, string? Paths);

/// <summary>
/// Loads a kubeconfig the way kubectl finds one: the explicit <c>-Kubeconfig</c> (text or paths),
/// else every existing file named in KUBECONFIG (merged, first file wins), else ~/.kube/config.
/// Returns null when none of those exist, so the caller can try the in-cluster service account.
/// </summary>
public static class KubeconfigLoader
{
    public static LoadedKubeconfig? Load(string? kubeconfig, ClusterEnvironment environment, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            return KubeconfigSource.IsInlineText(kubeconfig)
                ? LoadText(kubeconfig)
                : LoadFiles(KubeconfigSource.SplitVariable(kubeconfig), environment, currentDirectory, "-Kubeconfig", requireAll: true);
        }

        if (!string.IsNullOrWhiteSpace(environment.KubeconfigVariable))
        {
            return LoadFiles(KubeconfigSource.SplitVariable(environment.KubeconfigVariable), environment, currentDirectory, "KUBECONFIG", requireAll: false);
        }

        return File.Exists(environment.DefaultKubeconfigPath)
            ? LoadFiles([environment.DefaultKubeconfigPath], environment, currentDirectory, "~/.kube/config", requireAll: true)
            : null;
    }

    private static LoadedKubeconfig LoadText(string text)
    {
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            var configuration = KubernetesClientConfiguration.LoadKubeConfig(stream);
            return new LoadedKubeconfig(Validate(configuration, KubeconfigSource.InlineTextTarget), "the kubeconfig text given to -Kubeconfig", null);
        }
        catch (Exception e) when (e is not KbException && !IsCancellation(e))
        {
            throw Invalid(KubeconfigSource.InlineTextTarget, "The kubeconfig text given to -Kubeconfig", e);
        }
    }

    private static LoadedKubeconfig LoadFiles(IReadOnlyList<string> paths, ClusterEnvironment environment, string currentDirectory, string origin, bool requireAll)
    {
        var resolved = paths.Select(p => KubeconfigSource.ResolvePath(p, environment.HomeDirectory, currentDirectory)).ToList();
        var missing = resolved.Where(p => !File.Exists(p)).ToList();
        var existing = resolved.Except(missing).ToList();
        // kubectl skips KUBECONFIG entries that do not exist, but not a file named explicitly.
        if (existing.Count == 0 || (requireAll && missing.Count > 0))
        {
            var target = missing.Count == 1 ? missing[0] : string.Join(Path.PathSeparator, missing);
            throw new KbException(ErrorIds.KubeconfigNotFound, KbErrorCategory.ObjectNotFound, target,
                $"Kubeconfig file not found: {string.Join(", ", missing)} (from {origin}). Pass -Kubeconfig with the path of an existing file or the kubeconfig text.");
        }

        var files = existing.Select(path =>
        {
            try
            {
                // Relative certificate paths resolve against each file's own folder, as kubectl does.
                return Validate(KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: true), path);
            }
            catch (Exception e) when (e is not KbException && !IsCancellation(e))
            {
                throw Invalid(path, $"The kubeconfig file '{path}'", e);
            }
        }).ToList();

        var merged = Merge(files);
        var joined = string.Join(Path.PathSeparator, existing);
        return new LoadedKubeconfig(merged, existing.Count == 1 ? existing[0] : $"{origin} ({joined})", joined);
    }

    // kubectl's merge: the first file to set a value or define a name wins.
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files)
    {
        if (files.Count == 1)
        {
            return files[0];
        }
        static List<T> FirstByName<T>(IEnumerable<T> items, Func<T, string> name) =>
            items.GroupBy(name, StringComparer.Ordinal).Select(g => g.First()).ToList();
        return new K8SConfiguration
        {
            ApiVersion = files[0].ApiVersion,
            Kind = files[0].Kind,
            CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Preferences = files[0].Preferences,
            Contexts = FirstByName(files.SelectMany(f => f.Contexts ?? []), c => c.Name),
            Clusters = FirstByName(files.SelectMany(f => f.Clusters ?? []), c => c.Name),
            Users = FirstByName(files.SelectMany(f => f.Users ?? []), u => u.Name),
        };
    }

    // An empty document or plain text parses to an object with nothing in it; say so rather than "context not found".
    private static K8SConfiguration Validate(K8SConfiguration? configuration, string target)
    {
        if (configuration is null || (configuration.Contexts is null || !configuration.Contexts.Any()) && (configuration.Clusters is null || !configuration.Clusters.Any()))
        {
            throw new KbException(ErrorIds.KubeconfigInvalid, KbErrorCategory.InvalidData, target,
                $"{Describe(target)} is not a kubeconfig: it defines no clusters and no contexts.");
        }
        return configuration;
    }

    private static KbException Invalid(string target, string what, Exception e) =>
        new(ErrorIds.KubeconfigInvalid, KbErrorCategory.InvalidData, target,
            $"{what} could not be read as a kubeconfig: {FirstLine(e.Message)}", e);

    private static string Describe(string target) =>
        target == KubeconfigSource.InlineTextTarget ? "The kubeconfig text given to -Kubeconfig" : $"The kubeconfig file '{target}'";

    // YAML parser messages quote positions, not content; one line is enough and keeps secrets out.
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }

    private static bool IsCancellation(Exception e) => e is OperationCanceledException;
}
