namespace KubeBackup.HelpBuilder;

/// <summary>
/// One run over a docs folder: every cmdlet page into the module's MAML file, every about_ page into
/// its .help.txt. Nothing is written unless every page is valid, so a broken page never ships stale help.
/// </summary>
internal sealed class HelpBuild(string docsDirectory, string outDirectory, string moduleAssembly)
{
    public HelpDiagnostics Diagnostics { get; } = new();

    public string HelpFileName => moduleAssembly + "-Help.xml";

    public bool Run()
    {
        if (!Directory.Exists(docsDirectory))
        {
            Diagnostics.Error(docsDirectory, 1, "the docs folder does not exist");
            return false;
        }

        var commands = new List<CommandHelp>();
        var topics = new List<AboutTopic>();
        var pages = Directory.GetFiles(docsDirectory, "*.md").Order(StringComparer.Ordinal);
        foreach (var file in pages)
        {
            var page = MarkdownPage.Load(file);
            if (page.FileTopic.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                AddIfRead(topics, new MarkdownAboutReader(page, Diagnostics).Read());
            }
            else
            {
                AddIfRead(commands, new MarkdownCommandReader(page, HelpFileName, Diagnostics).Read());
            }
        }

        if (Diagnostics.HasErrors)
        {
            return false;
        }

        Directory.CreateDirectory(outDirectory);
        MamlWriter.Write(commands, Path.Combine(outDirectory, HelpFileName));
        foreach (var topic in topics)
        {
            AboutTopicWriter.Write(topic, Path.Combine(outDirectory, topic.Name + ".help.txt"));
        }

        return true;
    }

    private static void AddIfRead<T>(List<T> list, T? item)
        where T : class
    {
        if (item is not null)
        {
            list.Add(item);
        }
    }
}
