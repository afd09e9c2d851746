namespace KubeBackup.HelpBuilder;

/// <summary>An about_ topic: its name and its sections in page order.</summary>
internal sealed record AboutTopic(string Name, IReadOnlyList<AboutSection> Sections);

/// <summary>A "##" section; "###" subheadings stay inside Blocks as headings.</summary>
internal sealed record AboutSection(string Heading, IReadOnlyList<TextBlock> Blocks);
