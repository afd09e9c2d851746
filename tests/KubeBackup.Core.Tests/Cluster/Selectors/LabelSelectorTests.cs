using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Tests.Cluster.Selectors;

/// <summary>Parsing, canonical text and matching of label selectors, as apimachinery's <c>labels.Parse</c> does them.</summary>
public sealed class LabelSelectorTests
{
    [Theory]
    [InlineData("app=web", "app=web")]
    [InlineData("app==web", "app=web")]
    [InlineData("  app = web ", "app=web")]
    [InlineData("app!=web", "app!=web")]
    [InlineData("app", "app")]
    [InlineData("!app", "!app")]
    [InlineData("! app", "!app")]
    [InlineData("app in (web,db)", "app in (db,web)")]
    [InlineData("app in(web, db ,web)", "app in (db,web)")]
    [InlineData("app notin (web)", "app notin (web)")]
    [InlineData("tier=web,app", "app,tier=web")]
    [InlineData("app=", "app=")]
    [InlineData("app in ()", "app in ()")]
    [InlineData("app in (a,)", "app in (,a)")]
    [InlineData("app=in", "app=in")]
    [InlineData("app in (in,notin)", "app in (in,notin)")]
    [InlineData("replicas>3", "replicas>3")]
    [InlineData("replicas<10", "replicas<10")]
    [InlineData("app.kubernetes.io/name=mysql", "app.kubernetes.io/name=mysql")]
    [InlineData("example.com/My_Key.v-1=Value_1.a-b", "example.com/My_Key.v-1=Value_1.a-b")]
    public void ParsesValidSelectorsToTheirCanonicalText(string text, string canonical)
    {
        var selector = LabelSelector.Parse(text);

        Assert.Equal(canonical, selector.ToString());
        Assert.False(selector.IsEverything);
        Assert.Equal(canonical, LabelSelector.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyTextIsEverything(string text)
    {
        var selector = LabelSelector.Parse(text);

        Assert.True(selector.IsEverything);
        Assert.Same(LabelSelector.Everything, selector);
        Assert.Equal("", selector.ToString());
        Assert.True(selector.Matches((JsonObject?)null));
        Assert.True(selector.Matches(new Dictionary<string, string> { ["a"] = "b" }));
    }

    [Theory]
    [InlineData("app=web=db", "found '='", 8)]
    [InlineData("app web", "found 'web'", 5)]
    [InlineData(",app", "found ','", 1)]
    [InlineData("app,", "ends where a label key", 5)]
    [InlineData("app,,b", "found ','", 5)]
    [InlineData("app in web", "found 'web' where '('", 8)]
    [InlineData("app in (web", "ends where", 12)]
    [InlineData("app in (web db)", "found 'db' where ',' or ')'", 13)]
    [InlineData("app notin", "ends where '('", 10)]
    [InlineData("!app=web", "found '='", 5)]
    [InlineData("!", "ends where a label key", 2)]
    [InlineData("!=web", "found '!='", 1)]
    [InlineData("=web", "found '='", 1)]
    [InlineData("in (a)", "found 'in'", 1)]
    [InlineData("(a)", "found '('", 1)]
    [InlineData("app>", "ends where a value", 5)]
    [InlineData("app>x", "not an integer", 5)]
    [InlineData("app<-1", "not an integer", 5)]
    [InlineData("-app=web", "not a valid label name", 1)]
    [InlineData("app-=web", "not a valid label name", 1)]
    [InlineData("app=-web", "not a valid label value", 5)]
    [InlineData("app=web_", "not a valid label value", 5)]
    [InlineData("app=w*b", "not a valid label value", 5)]
    [InlineData("a/b/c=x", "not a valid label name", 1)]
    [InlineData("/app=x", "empty prefix", 1)]
    [InlineData("example.com/=x", "empty name", 1)]
    [InlineData("Example.com/app=x", "not a DNS subdomain", 1)]
    [InlineData("ex_ample.com/app=x", "not a DNS subdomain", 1)]
    [InlineData("app in (ok,b@d)", "not a valid label value", 12)]
    public void RefusesInvalidSelectorsSayingWhatAndWhere(string text, string problem, int position)
    {
        var error = Assert.Throws<KbException>(() => LabelSelector.Parse(text));

        Assert.Equal(ErrorIds.LabelSelectorInvalid, error.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(text, error.Target);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains($"(at character {position})", error.Message, StringComparison.Ordinal);
        Assert.Contains("app=web,tier in (frontend,backend)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesKeysAndValuesLongerThanTheApiServerAllows()
    {
        var name63 = new string('a', 63);
        var prefix253 = string.Join('.', Enumerable.Repeat(new string('p', 63), 4))[..253];
        Assert.Equal($"{prefix253}/{name63}={name63}", LabelSelector.Parse($"{prefix253}/{name63}={name63}").ToString());

        foreach (var text in new[] { $"{name63}b=x", $"x={name63}b", $"p{prefix253}/x=y", $"x in (a,{name63}b)" })
        {
            var error = Assert.Throws<KbException>(() => LabelSelector.Parse(text));
            Assert.Equal(ErrorIds.LabelSelectorInvalid, error.ErrorId);
            Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("app=web", true, false, false)]
    [InlineData("app!=web", false, true, true)]
    [InlineData("app in (web,db)", true, true, false)]
    [InlineData("app notin (web)", false, true, true)]
    [InlineData("app notin (web,db)", false, false, true)]
    [InlineData("app", true, true, false)]
    [InlineData("!app", false, false, true)]
    [InlineData("app=web,tier=front", true, false, false)]
    [InlineData("app=web,tier=back", false, false, false)]
    [InlineData("app,!tier", false, true, false)]
    [InlineData("tier", true, false, false)]
    [InlineData("app=", false, false, false)]
    public void MatchesAsKubernetesDoes(string text, bool web, bool db, bool unlabelled)
    {
        var selector = LabelSelector.Parse(text);
        var webLabels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" };
        var dbLabels = new Dictionary<string, string> { ["app"] = "db" };

        Assert.Equal(web, selector.Matches(webLabels));
        Assert.Equal(db, selector.Matches(dbLabels));
        Assert.Equal(unlabelled, selector.Matches((IReadOnlyDictionary<string, string>?)null));
        Assert.Equal(unlabelled, selector.Matches(new Dictionary<string, string>()));

        // The JSON form (an object's metadata.labels) gives the same answers.
        Assert.Equal(web, selector.Matches(new JsonObject { ["app"] = "web", ["tier"] = "front" }));
        Assert.Equal(db, selector.Matches(new JsonObject { ["app"] = "db" }));
        Assert.Equal(unlabelled, selector.Matches((JsonObject?)null));
    }

    [Fact]
    public void EmptyValueMatchesAnEmptyLabel()
    {
        Assert.True(LabelSelector.Parse("app=").Matches(new JsonObject { ["app"] = "" }));
        Assert.True(LabelSelector.Parse("app in (a,)").Matches(new JsonObject { ["app"] = "" }));
        Assert.False(LabelSelector.Parse("app in (a)").Matches(new JsonObject { ["app"] = "" }));
    }

    [Theory]
    [InlineData("replicas>3", "4", true)]
    [InlineData("replicas>3", "3", false)]
    [InlineData("replicas<3", "-1", true)]
    [InlineData("replicas<3", "two", false)]
    public void ComparesIntegerLabels(string text, string value, bool matches)
    {
        Assert.Equal(matches, LabelSelector.Parse(text).Matches(new JsonObject { ["replicas"] = value }));
        Assert.False(LabelSelector.Parse(text).Matches(new JsonObject()));
    }

    [Fact]
    public void ValuesAreCaseSensitive()
    {
        Assert.False(LabelSelector.Parse("app=Web").Matches(new JsonObject { ["app"] = "web" }));
        Assert.False(LabelSelector.Parse("App=web").Matches(new JsonObject { ["app"] = "web" }));
    }
}
