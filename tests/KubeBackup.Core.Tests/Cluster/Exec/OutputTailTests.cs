using System.Text;
using KubeBackup.Core.Cluster.Exec;

namespace KubeBackup.Core.Tests.Cluster.Exec;

public sealed class OutputTailTests
{
    [Theory]
    [InlineData(new[] { "abc" }, "abc", false)]
    [InlineData(new[] { "abcdefgh" }, "abcdefgh", false)]
    [InlineData(new[] { "abcdefghi" }, "bcdefghi", true)]
    [InlineData(new[] { "abcde", "fghij" }, "cdefghij", true)]
    [InlineData(new[] { "abc", "defghijklmnopqrstu", "vw" }, "pqrstuvw", true)]
    [InlineData(new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" }, "cdefghij", true)]
    public void KeepsTheLastBytes(string[] writes, string expected, bool truncated)
    {
        var tail = new OutputTail(8);
        foreach (var write in writes)
        {
            tail.Append(Encoding.UTF8.GetBytes(write));
        }

        Assert.Equal(expected, tail.ToString());
        Assert.Equal(truncated, tail.Truncated);
    }
}
