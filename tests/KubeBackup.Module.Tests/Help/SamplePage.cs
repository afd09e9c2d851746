namespace KubeBackup.Module.Tests.Help;

/// <summary>A valid page for <see cref="SampleHelpCmdlet"/>, and ways to break it one fault at a time.</summary>
internal static class SamplePage
{
    public const string CommandName = "Get-KbHelpSample";

    public const string FileName = CommandName + ".md";

    public const string Synopsis = "Gets the sample things by name or by id.";

    public const string Good = """
        ---
        external help file: Sample.dll-Help.xml
        Module Name: Sample
        online version: https://example.com/get-kbhelpsample
        schema: 2.0.0
        ---

        # Get-KbHelpSample

        ## SYNOPSIS
        Gets the sample things by name or by id.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-KbHelpSample [[-Name] <String[]>] [-Force] [<CommonParameters>]
        ```

        ### ById
        ```
        Get-KbHelpSample -Id <Int32> [-Force] [<CommonParameters>]
        ```

        ## DESCRIPTION
        The first paragraph of the description.

        The second paragraph, with `code` and *emphasis*.

        ## EXAMPLES

        ### Example 1: Get by name
        ```powershell
        PS> Get-KbHelpSample -Name 'a*'
        ```

        Gets the things whose names start with a.

        ## PARAMETERS

        ### -Name
        The names to get.

        ```yaml
        Type: String[]
        Parameter Sets: ByName
        Aliases: N

        Required: False
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: True
        ```

        ### -Id
        The id to get.

        ```yaml
        Type: Int32
        Parameter Sets: ById
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Force
        Gets hidden things too.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        Names, by value.

        ## OUTPUTS

        ### System.Object

        ## NOTES
        A note.

        ## RELATED LINKS

        [about_Sample](about_Sample.md)
        """;

    public static int TitleLine => LineOf(Good, "# " + CommandName);

    /// <summary>The page without one "##" section (heading and body).</summary>
    public static string WithoutSection(string heading)
    {
        var start = Good.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {heading}");
        var end = Good.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? Good[..start] : Good[..start] + Good[end..];
    }

    /// <summary>The 1-based line of the first line that equals the given text.</summary>
    public static int LineOf(string page, string line) =>
        Array.IndexOf(page.ReplaceLineEndings("\n").Split('\n'), line) + 1;
}
