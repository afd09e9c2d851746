using KubeBackup.Core.Common;

namespace KubeBackup.Core.Tests.Common;

public sealed class NameWildcardTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", true)]
    [InlineData("prod", "prod", true)]
    [InlineData("prod", "prod-eu", false)]
    [InlineData("prod-*", "prod-eu", true)]
    [InlineData("prod-*", "prod-", true)]
    [InlineData("prod-*", "production", false)]
    [InlineData("*-db", "orders-db", true)]
    [InlineData("*-db", "orders-db-2", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("stag?", "stage", true)]
    [InlineData("stag?", "stag", false)]
    [InlineData("stag?", "staging", false)]
    [InlineData("Prod", "prod", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    public void MatchesStarsAndQuestionMarks(string pattern, string name, bool matches) =>
        Assert.Equal(matches, NameWildcard.Matches(pattern, name));
}
