using KubeApiEmulator.Faults;

namespace KubeApiEmulator.Tests;

/// <summary>The standalone emulator's --fault syntax.</summary>
public sealed class FaultRuleTextTests
{
    [Fact]
    public void ParsesEveryKind()
    {
        Assert.Equal(FaultRule.ServerError("list", "configmaps"), FaultRuleText.Parse("error:list:configmaps"));
        Assert.Equal(FaultRule.Throttle("list", "secrets", maxCount: 2), FaultRuleText.Parse("throttle:list:secrets:2"));
        Assert.Equal(FaultRule.Unavailable(null, "pods"), FaultRuleText.Parse("unavailable:*:pods"));
        Assert.Equal(FaultRule.Drop("get", null, maxCount: 1), FaultRuleText.Parse("drop:get:*:1"));
        Assert.Equal(FaultRule.Delay(TimeSpan.FromMilliseconds(250), "list", "secrets"), FaultRuleText.Parse("delay=250:list:secrets"));
    }

    [Theory]
    [InlineData("error:list")]
    [InlineData("error:list:configmaps:0")]
    [InlineData("error:list:configmaps:x")]
    [InlineData("teapot:list:configmaps")]
    [InlineData("delay=soon:list:configmaps")]
    [InlineData("error:list:configmaps:1:2")]
    public void RejectsMalformedRules(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => FaultRuleText.Parse(text));
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }
}
