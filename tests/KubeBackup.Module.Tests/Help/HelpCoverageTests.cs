using System.Management.Automation;

namespace KubeBackup.Module.Tests.Help;

/// <summary>Every exported cmdlet has a page that documents exactly its parameters, with matching metadata.</summary>
public sealed class HelpCoverageTests(BuiltModuleHelp module) : IClassFixture<BuiltModuleHelp>
{
    // WhatIf and Confirm come from SupportsShouldProcess and PowerShell documents them itself.
    private static readonly HashSet<string> EngineParameters =
        new(Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void EveryExportedCmdletHasAPage()
    {
        var missing = module.Cmdlets.Where(c => !File.Exists(BuiltModuleHelp.PagePath(c.Name))).Select(c => c.Name).ToList();

        Assert.True(missing.Count == 0, $"No page in docs/en-US for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryPageIsAnExportedCmdletOrAnAboutTopic()
    {
        var exported = module.Cmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var strays = Directory.GetFiles(HelpTestPaths.DocsDirectory, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("about_", StringComparison.Ordinal) && !exported.Contains(n))
            .ToList();

        Assert.True(strays.Count == 0, $"Pages for no exported cmdlet: {string.Join(", ", strays)}");
    }

    [Fact]
    public void EveryPageDocumentsExactlyTheCmdletsParameters()
    {
        var problems = new List<string>();
        foreach (var cmdlet in module.Cmdlets.Where(c => File.Exists(BuiltModuleHelp.PagePath(c.Name))))
        {
            var documented = PageFacts.Read(BuiltModuleHelp.PagePath(cmdlet.Name)).Parameters.Select(p => p.Name).ToList();
            var actual = cmdlet.Parameters.Keys.Where(p => !EngineParameters.Contains(p)).ToList();
            problems.AddRange(actual.Except(documented, StringComparer.OrdinalIgnoreCase).Select(p => $"{cmdlet.Name}: -{p} is not documented"));
            problems.AddRange(documented.Except(actual, StringComparer.OrdinalIgnoreCase).Select(p => $"{cmdlet.Name}: the page documents -{p}, which the cmdlet does not have"));
            problems.AddRange(documented.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"{cmdlet.Name}: -{g.Key} is documented twice"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryParameterSetHasItsSyntaxLine()
    {
        var problems = new List<string>();
        foreach (var cmdlet in module.Cmdlets.Where(c => File.Exists(BuiltModuleHelp.PagePath(c.Name))))
        {
            var lines = PageFacts.Read(BuiltModuleHelp.PagePath(cmdlet.Name)).SyntaxLines;
            var documented = lines.Select(PageFacts.SyntaxParameters).ToList();
            foreach (var set in cmdlet.ParameterSets)
            {
                var actual = set.Parameters.Select(p => p.Name).Where(p => !EngineParameters.Contains(p)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                if (!documented.Any(d => d.SetEquals(actual)))
                {
                    problems.Add($"{cmdlet.Name}: no SYNTAX line has exactly the parameters of set '{set.Name}': {string.Join(", ", actual.Order())}");
                }
            }

            if (lines.Count != cmdlet.ParameterSets.Count)
            {
                problems.Add($"{cmdlet.Name}: SYNTAX has {lines.Count} lines for {cmdlet.ParameterSets.Count} parameter sets");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void PageMetadataAgreesWithTheCmdlet()
    {
        var problems = new List<string>();
        foreach (var cmdlet in module.Cmdlets.Where(c => File.Exists(BuiltModuleHelp.PagePath(c.Name))))
        {
            foreach (var (name, yamlBlocks) in PageFacts.Read(BuiltModuleHelp.PagePath(cmdlet.Name)).Parameters)
            {
                if (!cmdlet.Parameters.TryGetValue(name, out var parameter))
                {
                    continue;
                }

                if (yamlBlocks.Count == 0)
                {
                    problems.Add($"{cmdlet.Name} -{name}: no yaml block");
                }

                foreach (var yaml in yamlBlocks)
                {
                    problems.AddRange(Compare(cmdlet.Name, parameter, yaml));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> Compare(string cmdlet, ParameterMetadata parameter, Dictionary<string, string> yaml)
    {
        var where = $"{cmdlet} -{parameter.Name}";
        var type = yaml.GetValueOrDefault("Type", string.Empty);
        if (type != parameter.ParameterType.Name && type != parameter.ParameterType.FullName)
        {
            yield return $"{where}: Type is '{type}' on the page but {parameter.ParameterType.Name} in the cmdlet";
        }

        foreach (var (set, metadata) in SetsCovered(parameter, yaml.GetValueOrDefault("Parameter Sets", "(All)")))
        {
            var required = metadata.IsMandatory ? "True" : "False";
            if (!string.Equals(yaml.GetValueOrDefault("Required"), required, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{where} ({set}): Required is '{yaml.GetValueOrDefault("Required")}' on the page but {required} in the cmdlet";
            }

            var position = metadata.Position == int.MinValue ? "Named" : metadata.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(yaml.GetValueOrDefault("Position"), position, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{where} ({set}): Position is '{yaml.GetValueOrDefault("Position")}' on the page but {position} in the cmdlet";
            }

            var pipeline = yaml.GetValueOrDefault("Accept pipeline input", "False");
            if (pipeline.Contains("ByValue", StringComparison.OrdinalIgnoreCase) != metadata.ValueFromPipeline ||
                pipeline.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase) != metadata.ValueFromPipelineByPropertyName)
            {
                yield return $"{where} ({set}): Accept pipeline input is '{pipeline}' on the page but ByValue={metadata.ValueFromPipeline}, ByPropertyName={metadata.ValueFromPipelineByPropertyName} in the cmdlet";
            }
        }
    }

    /// <summary>The parameter sets a yaml block speaks for: all of the parameter's for "(All)", else those it names.</summary>
    private static IEnumerable<(string Set, ParameterSetMetadata Metadata)> SetsCovered(ParameterMetadata parameter, string sets)
    {
        if (sets.Trim() == "(All)")
        {
            return parameter.ParameterSets.Select(s => (s.Key, s.Value));
        }

        var named = sets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parameter.ParameterSets.Where(s => named.Contains(s.Key, StringComparer.OrdinalIgnoreCase)).Select(s => (s.Key, s.Value));
    }
}
