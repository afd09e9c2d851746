using KubeApiEmulator.Hosting;
using Xunit.Abstractions;

namespace KubeApiEmulator.Tests;

/// <summary>Prints the figures; bounds are generous on purpose (a loaded 2-core machine must not flake them).</summary>
public sealed class SpeedTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Paged_list_and_create_rate_are_reported()
    {
        var f = await SpeedSelfTest.MeasureAsync(creates: 1000);
        output.WriteLine($"creates: {f.Creates} in {f.CreateTime.TotalMilliseconds:F0} ms = {f.CreatesPerSecond:F0}/s");
        output.WriteLine($"paged list: {f.Listed} objects in {f.Pages} pages in {f.ListTime.TotalMilliseconds:F0} ms");
        Assert.Equal(10_000, f.Listed);
        Assert.Equal(20, f.Pages);
        Assert.True(f.ListTime < TimeSpan.FromSeconds(10), $"paged list took {f.ListTime}");
        Assert.True(f.CreatesPerSecond > 100, $"only {f.CreatesPerSecond:F0} creates/s");
    }
}
