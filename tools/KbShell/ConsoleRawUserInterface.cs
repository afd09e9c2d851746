using System.Management.Automation.Host;

namespace KbShell;

/// <summary>The console's size, so Out-Default lays tables out to the terminal width (120 when redirected).</summary>
internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
{
    private static int Width => Console.IsOutputRedirected ? 120 : Math.Max(40, Console.WindowWidth);

    public override ConsoleColor ForegroundColor { get => Console.ForegroundColor; set => Console.ForegroundColor = value; }

    public override ConsoleColor BackgroundColor { get => Console.BackgroundColor; set => Console.BackgroundColor = value; }

    public override Coordinates CursorPosition { get => new(0, 0); set { } }

    public override Coordinates WindowPosition { get => new(0, 0); set { } }

    public override int CursorSize { get => 25; set { } }

    public override Size BufferSize { get => new(Width, 9999); set { } }

    public override Size WindowSize { get => new(Width, 50); set { } }

    public override Size MaxWindowSize => new(Width, 50);

    public override Size MaxPhysicalWindowSize => new(Width, 50);

    public override bool KeyAvailable => false;

    public override string WindowTitle { get; set; } = "KbShell";

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("KbShell does not read single keys.");

    public override void FlushInputBuffer()
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
}
