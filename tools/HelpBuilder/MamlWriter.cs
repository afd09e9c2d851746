using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace KubeBackup.HelpBuilder;

/// <summary>
/// Writes the MAML file PowerShell loads for compiled cmdlets (&lt;Assembly&gt;.dll-Help.xml),
/// element for element as platyPS writes it, since that is the shape Get-Help is tested against.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        var root = new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            commands.Select(CommandElement));

        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
    }

    private static XElement CommandElement(CommandHelp help)
    {
        var parameters = help.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return new XElement(
            Command + "command",
            new XElement(
                Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description(help.Synopsis.Length > 0 ? [help.Synopsis] : [])),
            Description(help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(s => SyntaxItemElement(s, parameters))),
            new XElement(Command + "parameters", help.Parameters.Select(p => ParameterElement(p, p.Required, p.Position, inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(ExampleElement)),
            new XElement(Command + "relatedLinks", help.RelatedLinks.Select(LinkElement)));
    }

    private static XElement SyntaxItemElement(SyntaxItem item, Dictionary<string, ParameterHelp> parameters) =>
        new(
            Command + "syntaxItem",
            new XElement(Maml + "name", item.CommandName),
            item.Parameters.Select(p =>
            {
                var help = parameters[p.Name];
                return ParameterElement(help, p.Required, p.Positional ? help.Position : "named", inSyntax: true);
            }));

    /// <summary>
    /// In a syntax item a switch has no value element, so Get-Help prints "[-Force]" rather than
    /// "[-Force &lt;SwitchParameter&gt;]"; in the parameter list it keeps one, as platyPS writes it.
    /// </summary>
    private static XElement ParameterElement(ParameterHelp parameter, bool required, string position, bool inSyntax) =>
        new(
            Command + "parameter",
            new XAttribute("required", Bool(required)),
            new XAttribute("variableLength", Bool(parameter.VariableLength)),
            new XAttribute("globbing", Bool(parameter.Globbing)),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", position),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            AcceptedValues(parameter),
            inSyntax && parameter.IsSwitch
                ? null
                : new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", Bool(!parameter.IsSwitch)),
                    new XAttribute("variableLength", "false"),
                    parameter.Type),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));

    private static XElement? AcceptedValues(ParameterHelp parameter) =>
        parameter.AcceptedValues.Count == 0
            ? null
            : new XElement(
                Command + "parameterValueGroup",
                parameter.AcceptedValues.Select(v => new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", "false"),
                    new XAttribute("variableLength", "false"),
                    v)));

    private static XElement TypeElement(string elementName, TypeHelp type) =>
        new(
            Command + elementName,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
            Description(type.Description));

    private static XElement ExampleElement(ExampleHelp example) =>
        new(
            Command + "example",
            new XElement(Maml + "title", $"---------- {example.Title} ----------"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement LinkElement(RelatedLink link) =>
        new(
            Maml + "navigationLink",
            new XElement(Maml + "linkText", link.Text),
            new XElement(Maml + "uri", link.Uri));

    private static XElement Description(IReadOnlyList<string> paragraphs) =>
        new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IReadOnlyList<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";
}
