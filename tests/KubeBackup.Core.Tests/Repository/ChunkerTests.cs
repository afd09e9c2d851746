using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Tests.Repository;

public sealed class ChunkerTests
{
    private static readonly ChunkerParameters Sizes = new(4 * 1024, 16 * 1024, 64 * 1024);

    [Fact]
    public async Task ChunksRespectTheSizesAndCoverTheStream()
    {
        var chunker = new Chunker(Sizes, new byte[32]);
        var data = new byte[3 * 1024 * 1024];
        new Random(1).NextBytes(data);
        var lengths = new List<int>();
        var copy = new MemoryStream();
        await foreach (var chunk in chunker.ChunksAsync(new MemoryStream(data), new byte[Sizes.MaxSize], default))
        {
            lengths.Add(chunk.Length);
            copy.Write(chunk.Span);
        }
        Assert.Equal(data, copy.ToArray());
        Assert.All(lengths.SkipLast(1), l => Assert.InRange(l, Sizes.MinSize, Sizes.MaxSize));
        var average = lengths.Average();
        Assert.InRange(average, Sizes.AverageSize / 2.0, Sizes.AverageSize * 2.0);
        Assert.Equal(lengths, chunker.Split(data).Select(s => s.Length));
    }

    [Fact]
    public void ZerosAreCutAtTheMaximumAndTheSeedChangesBoundaries()
    {
        Assert.Equal(Sizes.MaxSize, new Chunker(Sizes, new byte[32]).FindCut(new byte[Sizes.MaxSize * 2]));
        var data = new byte[1024 * 1024];
        new Random(2).NextBytes(data);
        var plain = new Chunker(Sizes, new byte[32]).Split(data).Select(s => s.Length).ToList();
        var seed = new byte[32];
        seed[0] = 1;
        var keyed = new Chunker(Sizes, seed).Split(data).Select(s => s.Length).ToList();
        Assert.NotEqual(plain, keyed);
    }
}
