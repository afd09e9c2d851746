namespace KubeBackup.Module.Tests.Help;

/// <summary>Get-Help, in the hosted engine, shows the built MAML and about topic for the imported module.</summary>
public sealed class GetHelpTests(BuiltModuleHelp module) : IClassFixture<BuiltModuleHelp>
{
    [Fact]
    public void FullHelpOfEveryCmdletComesFromItsPage()
    {
        var problems = new List<string>();
        foreach (var cmdlet in module.Cmdlets)
        {
            var help = module.Host.GetHelp(cmdlet.Name);

            // Without MAML, Get-Help still answers, with the syntax as synopsis and nothing else.
            var synopsis = Normalize(HelpHost.Property(help, "Synopsis")?.ToString());
            var page = BuiltModuleHelp.PagePath(cmdlet.Name);
            var expected = File.Exists(page) ? Normalize(PageFacts.Read(page).Synopsis) : "(no page)";
            if (synopsis != expected)
            {
                problems.Add($"{cmdlet.Name}: synopsis is '{synopsis}', the page says '{expected}'");
            }

            var parameters = HelpHost.Items(HelpHost.Property(HelpHost.Property(help, "parameters"), "parameter"));
            if (parameters.Count == 0)
            {
                problems.Add($"{cmdlet.Name}: help lists no parameter");
            }

            foreach (var parameter in parameters.Where(p => HelpHost.Text(HelpHost.Property(p, "description")).Length == 0))
            {
                problems.Add($"{cmdlet.Name}: -{HelpHost.Property(parameter, "name")} has no description");
            }

            var examples = HelpHost.Items(HelpHost.Property(HelpHost.Property(help, "examples"), "example"));
            if (!examples.Any(e => HelpHost.Property(e, "code")?.ToString()?.Length > 0))
            {
                problems.Add($"{cmdlet.Name}: help has no example with code");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void AboutTopicIsFound()
    {
        var help = module.Host.GetHelp("about_KubeBackup", full: false);

        var text = help.ToString();
        Assert.StartsWith("TOPIC", text.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("about_KubeBackup", text, StringComparison.Ordinal);
        Assert.Contains("Backup, restore and disaster recovery for Kubernetes clusters", text, StringComparison.Ordinal);
    }

    private static string Normalize(string? text) =>
        string.Join(" ", (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
