using KubeBackup.Core.Common;

namespace KubeBackup.Core.Tests.Common;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("720h", 720 * 60 * 60)]
    [InlineData("720h0m0s", 720 * 60 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("30m", 30 * 60)]
    [InlineData("90s", 90)]
    [InlineData("7d", 7 * 24 * 60 * 60)]
    [InlineData("1w", 7 * 24 * 60 * 60)]
    [InlineData("1.5h", 90 * 60)]
    [InlineData("0", 0)]
    [InlineData("1.00:00:00", 24 * 60 * 60)]
    [InlineData("00:00:45", 45)]
    [InlineData("-1h", -3600)]
    public void ParsesVeleroDurationsDaysAndTimeSpans(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void ParsesMilliseconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), DurationParser.Parse("500ms"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("10")]
    [InlineData("5x")]
    [InlineData("h")]
    [InlineData("1h 30m")]
    [InlineData("1h30")]
    public void RejectsWhatIsNotADuration(string? text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Fact]
    public void ParseSaysWhichFormsWork()
    {
        var error = Assert.Throws<FormatException>(() => DurationParser.Parse("soon"));
        Assert.Contains("720h", error.Message);
    }

    [Theory]
    [InlineData(720 * 3600.0, "720h0m0s")]
    [InlineData(5400, "1h30m0s")]
    [InlineData(1.5, "0h0m1.5s")]
    public void FormatsAsVeleroDoes(double seconds, string expected)
    {
        Assert.Equal(expected, DurationParser.Format(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(expected));
    }
}
