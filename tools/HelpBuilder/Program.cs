using KubeBackup.HelpBuilder;

// Run by the module build: HelpBuilder --docs <folder> --out <folder> --module-assembly <Name.dll>
const string Usage = "usage: HelpBuilder --docs <markdown folder> --out <help folder> --module-assembly <Assembly.dll>";

var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (var i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"HelpBuilder: error {HelpDiagnostics.Code}: unexpected argument '{args[i]}'; {Usage}");
        return 2;
    }

    options[args[i][2..]] = args[++i];
}

if (!options.TryGetValue("docs", out var docs) ||
    !options.TryGetValue("out", out var output) ||
    !options.TryGetValue("module-assembly", out var assembly))
{
    Console.Error.WriteLine($"HelpBuilder: error {HelpDiagnostics.Code}: {Usage}");
    return 2;
}

var build = new HelpBuild(docs, output, assembly);
if (!build.Run())
{
    foreach (var error in build.Diagnostics.Errors)
    {
        Console.Error.WriteLine(error);
    }

    return 1;
}

Console.WriteLine($"HelpBuilder: wrote {Path.Combine(output, build.HelpFileName)} and the about topics from {docs}");
return 0;
