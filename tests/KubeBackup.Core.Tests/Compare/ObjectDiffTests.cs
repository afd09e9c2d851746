using System.Text.Json.Nodes;
using KubeBackup.Core.Compare;

namespace KubeBackup.Core.Tests.Compare;

public sealed class ObjectDiffTests
{
    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    private static List<string> Diff(string before, string after) =>
        ObjectDiff.Compare(Parse(before), Parse(after)).Select(c => c.ToString()).ToList();

    [Fact]
    public void EqualDocumentsHaveNoChangesWhateverTheKeyOrder()
    {
        Assert.Empty(ObjectDiff.Compare(Parse("""{"a":1,"b":{"c":[1,2]}}"""), Parse("""{"b":{"c":[1,2]},"a":1}""")));
    }

    [Fact]
    public void AScalarChangeIsItsDottedPathWithBothValuesAsJson()
    {
        var changes = ObjectDiff.Compare(Parse("""{"spec":{"replicas":2,"paused":false}}"""), Parse("""{"spec":{"replicas":5,"paused":false}}"""));

        var change = Assert.Single(changes);
        Assert.Equal(new FieldChange("spec.replicas", "2", "5"), change);
    }

    [Fact]
    public void KeysThatAreNotIdentifiersAreQuoted()
    {
        Assert.Equal(
            [
                """metadata.labels["app.kubernetes.io/name"]: "web" -> "shop" """.TrimEnd(),
                """metadata.labels["controller-uid"]: (absent) -> "1" """.TrimEnd(),
                """metadata.labels["say \"hi\""]: "1" -> (absent)""",
            ],
            Diff("""{"metadata":{"labels":{"app.kubernetes.io/name":"web","say \"hi\"":"1","tier":"x"}}}""",
                 """{"metadata":{"labels":{"app.kubernetes.io/name":"shop","controller-uid":"1","tier":"x"}}}"""));
    }

    [Fact]
    public void ArraysOfNamedObjectsAreMatchedByNameWhateverTheirOrder()
    {
        var before = """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"},{"name":"log","image":"busybox"}]}}}}""";
        var after = """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy"},{"name":"log","image":"busybox"},{"name":"web","image":"nginx:1.28"}]}}}}""";

        Assert.Equal(
            [
                """spec.template.spec.containers[name=web].image: "nginx:1.27" -> "nginx:1.28" """.TrimEnd(),
                """spec.template.spec.containers[name=sidecar]: (absent) -> {"name":"sidecar","image":"envoy"}""",
            ],
            Diff(before, after));
    }

    [Fact]
    public void OtherArraysAreComparedByIndex()
    {
        Assert.Equal(
            ["spec.args[1]: \"-v\" -> \"-q\"", "spec.args[2]: (absent) -> \"--x\"", "spec.ports[0].port: 80 -> 81"],
            Diff("""{"spec":{"args":["run","-v"],"ports":[{"port":80}]}}""", """{"spec":{"args":["run","-q","--x"],"ports":[{"port":81}]}}"""));
    }

    [Fact]
    public void AFieldMissingOnOneSideOrChangingShapeIsOneChangeOfTheWholeValue()
    {
        Assert.Equal(
            ["data: {\"a\":\"1\"} -> (absent)", "spec.x: 1 -> {\"y\":1}"],
            Diff("""{"data":{"a":"1"},"spec":{"x":1}}""", """{"spec":{"x":{"y":1}}}"""));
    }

    [Fact]
    public void ChangesAreListedInPathOrder()
    {
        var paths = ObjectDiff.Compare(Parse("""{"z":1,"a":{"m":1,"b":1},"k":[1,2,3,4,5,6,7,8,9,10,11]}"""),
            Parse("""{"z":2,"a":{"m":2,"b":2},"k":[0,2,3,4,5,6,7,8,9,10,0]}""")).Select(c => c.Path).ToList();

        Assert.Equal(["a.b", "a.m", "k[0]", "k[10]", "z"], paths);
    }

    [Fact]
    public void JsonNullIsTheSameAsAbsentAndWholeDocumentsCanBeMissing()
    {
        Assert.Empty(ObjectDiff.Compare(Parse("""{"metadata":{"creationTimestamp":null}}"""), Parse("""{"metadata":{}}""")));
        Assert.Equal([new FieldChange("", null, """{"a":1}""")], ObjectDiff.Compare(null, Parse("""{"a":1}""")));
        Assert.Empty(ObjectDiff.Compare(null, null));
    }
}
