using System.Xml.Linq;

namespace KubeBackup.Module.Tests.Help;

/// <summary>The built HelpBuilder run on temp pages: what it accepts, what it refuses, and what it writes.</summary>
public sealed class HelpBuilderTests : IDisposable
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private readonly TempDocs _docs = new();

    public void Dispose() => _docs.Dispose();

    [Fact]
    public void GoodPageBuildsMamlThatGetHelpReads()
    {
        _docs.Write(SamplePage.FileName, SamplePage.Good);
        var run = _docs.Build();
        Assert.True(run.ExitCode == 0, run.Error);

        using var host = HelpHost.WithCmdlet(SamplePage.CommandName, typeof(SampleHelpCmdlet), Path.Combine(_docs.Output, "Sample.dll-Help.xml"));
        var help = host.GetHelp(SamplePage.CommandName);

        Assert.Equal(SamplePage.Synopsis, HelpHost.Property(help, "Synopsis"));
        var description = HelpHost.Text(HelpHost.Property(help, "description"));
        Assert.Contains("The first paragraph of the description.", description);
        Assert.Contains("The second paragraph, with `code` and emphasis.", description);

        var parameters = HelpHost.Items(HelpHost.Property(HelpHost.Property(help, "parameters"), "parameter"));
        Assert.Equal(["Name", "Id", "Force"], parameters.Select(p => HelpHost.Property(p, "name")?.ToString()));
        Assert.Equal("The id to get.", HelpHost.Text(HelpHost.Property(parameters[1], "description")));
        Assert.Equal("true", HelpHost.Property(parameters[1], "required")?.ToString());
        Assert.Equal("0", HelpHost.Property(parameters[0], "position")?.ToString());

        var examples = HelpHost.Items(HelpHost.Property(HelpHost.Property(help, "examples"), "example"));
        var example = Assert.Single(examples);
        Assert.Equal("PS> Get-KbHelpSample -Name 'a*'", HelpHost.Property(example, "code"));
        Assert.Contains("start with a", HelpHost.Text(HelpHost.Property(example, "remarks")));

        var syntax = HelpHost.Items(HelpHost.Property(HelpHost.Property(help, "syntax"), "syntaxItem"));
        Assert.Equal(2, syntax.Count);
    }

    [Fact]
    public void GoodPageMamlHasTheShapePowerShellReads()
    {
        _docs.Write(SamplePage.FileName, SamplePage.Good);
        Assert.Equal(0, _docs.Build().ExitCode);

        var root = XDocument.Load(Path.Combine(_docs.Output, "Sample.dll-Help.xml")).Root!;
        Assert.Equal(XName.Get("helpItems", "http://msh"), root.Name);
        Assert.Equal("maml", root.Attribute("schema")?.Value);
        var command = Assert.Single(root.Elements(Command + "command"));

        var details = command.Element(Command + "details")!;
        Assert.Equal(SamplePage.CommandName, details.Element(Command + "name")?.Value);
        Assert.Equal("Get", details.Element(Command + "verb")?.Value);
        Assert.Equal("KbHelpSample", details.Element(Command + "noun")?.Value);
        Assert.Equal(SamplePage.Synopsis, details.Element(Maml + "description")?.Element(Maml + "para")?.Value);
        Assert.Equal(2, command.Element(Maml + "description")!.Elements(Maml + "para").Count());

        var syntaxItems = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(["Name", "Force"], ParameterNames(syntaxItems[0]));
        Assert.Equal(["Id", "Force"], ParameterNames(syntaxItems[1]));
        var idInSyntax = syntaxItems[1].Elements(Command + "parameter").First();
        Assert.Equal("true", idInSyntax.Attribute("required")?.Value);
        Assert.Equal("named", idInSyntax.Attribute("position")?.Value);
        var forceInSyntax = syntaxItems[0].Elements(Command + "parameter").Last();
        Assert.Null(forceInSyntax.Element(Command + "parameterValue"));

        var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
        Assert.Equal(["Name", "Id", "Force"], parameters.Select(p => p.Element(Maml + "name")?.Value));
        var name = parameters[0];
        Assert.Equal("false", name.Attribute("required")?.Value);
        Assert.Equal("true", name.Attribute("variableLength")?.Value);
        Assert.Equal("true", name.Attribute("globbing")?.Value);
        Assert.Equal("True (ByValue)", name.Attribute("pipelineInput")?.Value);
        Assert.Equal("0", name.Attribute("position")?.Value);
        Assert.Equal("N", name.Attribute("aliases")?.Value);
        Assert.Equal("String[]", name.Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("None", name.Element(Dev + "defaultValue")?.Value);
        Assert.Equal("none", parameters[1].Attribute("aliases")?.Value);

        Assert.Equal("System.String", command.Descendants(Command + "inputType").Single().Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("System.Object", command.Descendants(Command + "returnValue").Single().Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("A note.", command.Element(Maml + "alertSet")?.Element(Maml + "alert")?.Element(Maml + "para")?.Value);

        var example = command.Element(Command + "examples")!.Elements(Command + "example").Single();
        Assert.Contains("Example 1: Get by name", example.Element(Maml + "title")?.Value);
        Assert.Equal("PS> Get-KbHelpSample -Name 'a*'", example.Element(Dev + "code")?.Value);

        var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ToList();
        Assert.Equal(["Online Version:", "about_Sample"], links.Select(l => l.Element(Maml + "linkText")?.Value));
        Assert.Equal("https://example.com/get-kbhelpsample", links[0].Element(Maml + "uri")?.Value);
    }

    [Theory]
    [InlineData("SYNOPSIS")]
    [InlineData("SYNTAX")]
    [InlineData("DESCRIPTION")]
    [InlineData("EXAMPLES")]
    [InlineData("PARAMETERS")]
    [InlineData("INPUTS")]
    [InlineData("OUTPUTS")]
    public void MissingRequiredSectionFailsNamingTheFile(string section)
    {
        var path = _docs.Write(SamplePage.FileName, SamplePage.WithoutSection(section));

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}({SamplePage.TitleLine}): error HELP001: required section '## {section}' is missing", run.Error);
        Assert.False(Directory.Exists(_docs.Output), "nothing may be written when a page is malformed");
    }

    [Fact]
    public void ExamplesWithoutAnExampleFail()
    {
        var page = SamplePage.Good.Replace("### Example 1: Get by name", "No example heading.", StringComparison.Ordinal);
        var path = _docs.Write(SamplePage.FileName, page);

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}({SamplePage.LineOf(page, "## EXAMPLES")}): error HELP001: section '## EXAMPLES' has no example", run.Error);
    }

    [Fact]
    public void ParameterWithoutYamlFailsAtItsHeading()
    {
        const string idYaml = "```yaml\nType: Int32\nParameter Sets: ById\nAliases:\n\nRequired: True\nPosition: Named\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n";
        Assert.Contains(idYaml, SamplePage.Good);
        var page = SamplePage.Good.Replace(idYaml, string.Empty, StringComparison.Ordinal);
        var path = _docs.Write(SamplePage.FileName, page);

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}({SamplePage.LineOf(page, "### -Id")}): error HELP001: parameter -Id has no ```yaml metadata block", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void DuplicateParameterFailsAtTheSecondHeading()
    {
        var force = SamplePage.Good[SamplePage.Good.IndexOf("### -Force", StringComparison.Ordinal)..SamplePage.Good.IndexOf("### CommonParameters", StringComparison.Ordinal)];
        var page = SamplePage.Good.Replace("### CommonParameters", force + "### CommonParameters", StringComparison.Ordinal);
        var path = _docs.Write(SamplePage.FileName, page);

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        var second = page.ReplaceLineEndings("\n").Split('\n').Select((l, i) => (l, i)).Where(x => x.l == "### -Force").Last().i + 1;
        Assert.Contains($"{path}({second}): error HELP001: parameter -Force is documented twice", run.Error);
    }

    [Fact]
    public void SyntaxParameterWithoutSectionFails()
    {
        var page = SamplePage.Good.Replace("[-Force] [<CommonParameters>]\n```\n\n## DESCRIPTION", "[-Force] [-Extra] [<CommonParameters>]\n```\n\n## DESCRIPTION", StringComparison.Ordinal);
        Assert.NotEqual(SamplePage.Good, page);
        var path = _docs.Write(SamplePage.FileName, page);

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}({SamplePage.LineOf(page, "## SYNTAX")}): error HELP001: the syntax uses -Extra but '## PARAMETERS' does not document it", run.Error);
    }

    [Fact]
    public void PlatyPsPlaceholderFails()
    {
        var page = SamplePage.Good.Replace("The id to get.", "{{ Fill Id Description }}", StringComparison.Ordinal);
        var path = _docs.Write(SamplePage.FileName, page);

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}({SamplePage.LineOf(page, "{{ Fill Id Description }}")}): error HELP001: placeholder left in the page", run.Error);
    }

    [Fact]
    public void TitleMustMatchTheFileName()
    {
        var path = _docs.Write("Get-KbOther.md", SamplePage.Good);

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}({SamplePage.TitleLine}): error HELP001: the title '{SamplePage.CommandName}' does not match the file name 'Get-KbOther.md'", run.Error);
    }

    [Fact]
    public void EveryMalformedPageIsReported()
    {
        var first = _docs.Write("Get-KbOne.md", SamplePage.WithoutSection("SYNOPSIS").Replace(SamplePage.CommandName, "Get-KbOne", StringComparison.Ordinal));
        var second = _docs.Write("Get-KbTwo.md", SamplePage.WithoutSection("OUTPUTS").Replace(SamplePage.CommandName, "Get-KbTwo", StringComparison.Ordinal));

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{first}({SamplePage.TitleLine}): error HELP001: required section '## SYNOPSIS' is missing", run.Error);
        Assert.Contains($"{second}({SamplePage.TitleLine}): error HELP001: required section '## OUTPUTS' is missing", run.Error);
    }

    [Fact]
    public void AboutTopicBecomesWrappedHelpText()
    {
        var longSentence = string.Join(" ", Enumerable.Repeat("Backups are only as good as the restores rehearsed from them.", 4));
        _docs.Write("about_Sample.md", $"""
            # about_Sample

            ## Short description
            A sample topic.

            ## Long description
            {longSentence}

            ### Rehearsing a restore
            ```powershell
            Get-KbHelpSample -Name 'a*' -Force
            ```

            - one item
            - two items
            """);

        var run = _docs.Build();

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = File.ReadAllLines(Path.Combine(_docs.Output, "about_Sample.help.txt"));
        Assert.Equal(["TOPIC", "    about_Sample", "", "SHORT DESCRIPTION", "    A sample topic.", "", "LONG DESCRIPTION"], lines[..7]);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"longer than 80 columns: '{l}'"));
        Assert.Equal(longSentence, string.Join(" ", lines.Skip(7).TakeWhile(l => l.Length > 0).Select(l => l.Trim())));
        Assert.Contains("    REHEARSING A RESTORE", lines);
        Assert.Contains("        Get-KbHelpSample -Name 'a*' -Force", lines);
        Assert.Equal(["    - one item", "    - two items"], lines[^2..]);
    }

    [Fact]
    public void AboutTopicWithoutShortDescriptionFails()
    {
        var path = _docs.Write("about_Sample.md", "# about_Sample\n\n## LONG DESCRIPTION\nText.\n");

        var run = _docs.Build();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{path}(1): error HELP001: required section '## SHORT DESCRIPTION' is missing", run.Error);
    }

    [Fact]
    public void RepositoryDocsBuild()
    {
        var run = HelpBuilderProcess.Run(HelpTestPaths.DocsDirectory, _docs.Output, "KubeBackup.dll");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(Path.Combine(_docs.Output, "KubeBackup.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(_docs.Output, "about_KubeBackup.help.txt")));
    }

    private static IEnumerable<string?> ParameterNames(XElement syntaxItem) =>
        syntaxItem.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")?.Value);
}
