using System.Management.Automation;
using System.Xml.Linq;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>
/// Every script block of the backup format views, run against real output objects. The formatter shows a failing
/// script block as an empty cell, and this host has no Format-List, so the list view is checked here, block by block.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class BackupFormatScriptTests : BackupTestBase
{
    private static readonly XDocument Views = XDocument.Load(Path.Combine(Repo.ModuleDirectory, "KubeBackup.format.ps1xml"));

    private static List<(string View, string Label, string Script)> ScriptsOf(string typeName) =>
        Views.Descendants("View")
            .Where(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == typeName))
            .SelectMany(v => v.Descendants("ScriptBlock").Select(s =>
                (v.Element("Name")!.Value, s.Parent!.Element("Label")?.Value ?? "", s.Value)))
            .ToList();

    private Dictionary<string, string> Run(PSObject value, string typeName)
    {
        var scripts = ScriptsOf(typeName);
        Assert.NotEmpty(scripts);
        var results = new Dictionary<string, string>();
        foreach (var (view, label, script) in scripts)
        {
            var result = Session.Invoke("Set-StrictMode -Version 3; $args[0] | ForEach-Object ([scriptblock]::Create($args[1]))", value, script);
            Assert.True(!result.AllErrors.Any(), $"{view} {label}: {script}\n{string.Join("\n", result.AllErrors.Select(e => e.Exception.Message))}");
            results[$"{view}/{(label.Length > 0 ? label : results.Keys.Count(k => k.StartsWith(view + "/", StringComparison.Ordinal)).ToString(System.Globalization.CultureInfo.InvariantCulture))}"] =
                string.Join("\n", result.Output.Select(o => o?.ToString()));
        }
        return results;
    }

    [Fact]
    public void EveryBackupViewScriptRunsOnRealObjects()
    {
        Seed("""
            New-SeedBackup $repository detailed -Phase PartiallyFailed -Items '-/v1/secrets/prod/tls', '-/v1/namespaces/-/prod' -Problems 'Error|v1 secrets prod/db|forbidden', 'Warning||hook skipped' -Log 'Error|v1 secrets prod/db|forbidden'
            New-SeedBackup $repository broken -Items '-/v1/configmaps/prod/settings'
            """);
        var backup = Session.Invoke("Get-KbBackup detailed").ThrowIfErrors().Output.Single();
        var items = Session.Invoke("Get-KbBackupItem detailed").ThrowIfErrors().Output;
        var log = Session.Invoke("Get-KbBackupLog detailed").ThrowIfErrors().Output.Single();
        foreach (var pack in Packs())
        {
            File.Delete(pack);
        }
        var verifications = Session.Invoke("Test-KbBackup").Output;

        var details = Run(backup, "KubeBackup.Core.Backup.BackupSummary");
        Assert.Equal("2/2", details["BackupSummary/0"]);
        Assert.Matches(@"^\d+ B$", details["BackupSummary/1"]);
        Assert.Matches(@"^\d+s$", details["BackupSummary/2"]);
        Assert.Equal("in 29d", details["BackupSummary/3"]);
        Assert.Equal("2 of 2 backed up", details["BackupSummaryDetails/Items"]);
        Assert.Equal("*", details["BackupSummaryDetails/Namespaces"]);
        Assert.Equal("*", details["BackupSummaryDetails/Resources"]);
        Assert.Equal("seed=true", details["BackupSummaryDetails/Labels"]);
        Assert.Equal($"Error: v1 secrets prod/db: forbidden{Environment.NewLine}Warning: hook skipped", details["BackupSummaryDetails/Problems"]);
        Assert.Matches(@"^\d+ B \(\d+ (B|KB) added to the storage\)$", details["BackupSummaryDetails/Size"]);
        Assert.Matches(@"\(in 29d\)$", details["BackupSummaryDetails/Expires"]);
        foreach (var item in items)
        {
            Run(item, "KubeBackup.Core.Backup.BackupItem");
        }
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", Run(log, "KubeBackup.Core.Backup.BackupLogEntry").Values.Single());
        Assert.Equal(2, verifications.Count);
        foreach (var verification in verifications)
        {
            var columns = Run(verification, "KubeBackup.Core.Backup.BackupVerification");
            Assert.Equal(false, Property(verification, "Healthy"));
            Assert.NotEqual("", columns.Values.Last());
            foreach (var damage in ((System.Collections.IEnumerable)Property(verification, "Damaged")!).Cast<object>())
            {
                Run(PSObject.AsPSObject(damage), "KubeBackup.Core.Backup.BackupDamage");
            }
        }
    }
}
