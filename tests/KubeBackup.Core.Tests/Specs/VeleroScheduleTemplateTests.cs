using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Tests.Specs;

/// <summary>A Schedule's template is a Backup spec: ParseSpec reads it where the Schedule import will find it.</summary>
public sealed class VeleroScheduleTemplateTests
{
    [Fact]
    public void TheSeedsDailyFullBackupTemplate()
    {
        var warnings = new List<string>();
        var spec = VeleroBackupSpec.ParseSpec(Template(0), "spec.template", warnings, "schedules.yaml");

        Assert.Equal(["production", "staging"], spec.IncludedNamespaces);
        Assert.Equal(["events", "events.events.k8s.io"], spec.ExcludedResources);
        Assert.Empty(spec.IncludedResources);
        Assert.Null(spec.LabelSelector);
        Assert.Equal("default", spec.StorageLocation);
        Assert.Equal(TimeSpan.FromHours(720), spec.Ttl);
        Assert.Empty(spec.Hooks);
        Assert.True(spec.SnapshotVolumes);
        Assert.Equal(BackupSpec.DefaultSnapshotTimeout, spec.SnapshotTimeout);

        // Velero's native (provider) snapshot locations have no meaning for CSI snapshots.
        var warning = Assert.Single(warnings);
        Assert.StartsWith("schedules.yaml, line 17, column 5: spec.template.volumeSnapshotLocations is ignored", warning, StringComparison.Ordinal);
        Assert.Contains("CSI snapshots only", warning);
    }

    [Fact]
    public void TheSeedsHourlyCriticalBackupTemplate()
    {
        var warnings = new List<string>();
        var spec = VeleroBackupSpec.ParseSpec(Template(1), "spec.template", warnings, "schedules.yaml");

        Assert.Equal(["production"], spec.IncludedNamespaces);
        Assert.Equal("backup=critical", spec.LabelSelector);
        Assert.Equal("default", spec.StorageLocation);
        Assert.Equal(TimeSpan.FromHours(168), spec.Ttl);
        Assert.Equal(BackupSpec.DefaultTtl, new BackupSpec().Ttl);
        Assert.True(spec.SnapshotVolumes);
        Assert.Empty(warnings);
    }

    [Fact]
    public void TemplateErrorsNameTheTemplatePath()
    {
        var template = (YamlMappingNode)Load("includedNamespaces: production\n").Documents[0].RootNode;
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.ParseSpec(template, "spec.template", [], "s.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Contains(" spec.template.includedNamespaces ", e.Message);
        Assert.Equal("s.yaml", e.Target);
    }

    [Fact]
    public void TemplateMetadataLabelsAreTheBackupsLabels()
    {
        var template = (YamlMappingNode)Load("metadata:\n  labels: { tier: gold }\nttl: 24h\n").Documents[0].RootNode;
        var spec = VeleroBackupSpec.ParseSpec(template, "spec.template", [], "s.yaml");
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "gold" }, spec.Labels);
    }

    private static YamlMappingNode Template(int document)
    {
        var root = (YamlMappingNode)Load(SeedManifests.Schedules).Documents[document].RootNode;
        var spec = (YamlMappingNode)root.Children[new YamlScalarNode("spec")];
        return (YamlMappingNode)spec.Children[new YamlScalarNode("template")];
    }

    private static YamlStream Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream;
    }
}
