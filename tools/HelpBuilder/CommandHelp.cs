namespace KubeBackup.HelpBuilder;

/// <summary>One cmdlet's help as read from its markdown page; what the MAML writer needs and nothing more.</summary>
internal sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxItem> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<RelatedLink> RelatedLinks)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>A parameter's description and the attributes from its yaml block.</summary>
internal sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing,
    IReadOnlyList<string> AcceptedValues)
{
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    /// <summary>Arrays take several values, which MAML calls variable length.</summary>
    public bool VariableLength => Type.EndsWith("[]", StringComparison.Ordinal);
}

/// <summary>One line of the SYNTAX block: one parameter set as the page shows it.</summary>
internal sealed record SyntaxItem(string CommandName, IReadOnlyList<SyntaxParameter> Parameters);

/// <summary>A parameter as it appears in one syntax line; required and position can differ between sets.</summary>
internal sealed record SyntaxParameter(string Name, bool Required, bool Positional, string? ValueType);

internal sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

internal sealed record RelatedLink(string Text, string Uri);
