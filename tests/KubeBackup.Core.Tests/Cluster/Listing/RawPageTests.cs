using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Listing;
using static KubeBackup.Core.Tests.Cluster.Listing.ListingTestCluster;

namespace KubeBackup.Core.Tests.Cluster.Listing;

/// <summary>List pages cut into objects as bytes: type spliced in first, managedFields cut out, metadata read.</summary>
public sealed class RawPageTests
{
    private static readonly KubeBackup.Core.Cluster.Discovery.ApiResource Widgets = new("example.com", "v1", "widgets", "Widget", true, ["get", "list"], []);

    private static (List<RawObject> Items, string? Continue) Split(string page, KubeBackup.Core.Cluster.Discovery.ApiResource? type = null) =>
        RawPage.Split(Encoding.UTF8.GetBytes(page), type ?? ConfigMaps);

    private static string Text(RawObject item) => Encoding.UTF8.GetString(item.Json.Span);

    [Fact]
    public void SplicesTheTypeFirstAndReadsTheMetadata()
    {
        var (items, next) = Split("""
            {"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"abc"},"items":[
              {"metadata":{"name":"a","namespace":"prod","labels":{"app":"web","tier":""}},"data":{"x":"1"}},
              {"metadata":{"name":"b","namespace":"prod","deletionTimestamp":"2026-11-24T00:00:00Z"}}]}
            """);

        Assert.Equal("abc", next);
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"prod","labels":{"app":"web","tier":""}},"data":{"x":"1"}}""", Text(items[0]));
        Assert.Equal(("prod", "a", false), (items[0].Namespace, items[0].Name, items[0].Deleting));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "" }, items[0].Labels);
        Assert.True(items[1].Deleting);
        Assert.Null(items[1].Labels);
    }

    [Theory]
    [InlineData("""{"metadata":{"managedFields":[{"manager":"kubectl"}],"name":"a"}}""", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}""")]
    [InlineData("""{"metadata":{"name":"a","managedFields":[{"manager":"kubectl"}]}}""", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}""")]
    [InlineData("""{"metadata":{"name":"a","managedFields":[],"uid":"u"}}""", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","uid":"u"}}""")]
    [InlineData("""{"metadata":{"managedFields":[]}}""", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}""")]
    [InlineData("""{ "metadata" : { "name" : "a" ,  "managedFields" : [ ] } , "data" : { } }""", """{"apiVersion":"v1","kind":"ConfigMap","metadata" : { "name" : "a" } , "data" : { }}""")]
    [InlineData("""{}""", """{"apiVersion":"v1","kind":"ConfigMap"}""")]
    public void CutsManagedFieldsWithTheirComma(string item, string expected)
    {
        var raw = Assert.Single(Split($$"""{"items":[{{item}}]}""").Items);

        Assert.Equal(expected, Text(raw));
        JsonNode.Parse(raw.Json.Span);
    }

    [Fact]
    public void CustomResourcesThatCarryTheirTypeGetItOnce()
    {
        var raw = Assert.Single(Split("""{"items":[{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"n"},"spec":{"size":3}}]}""", Widgets).Items);

        Assert.Equal("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"n"},"spec":{"size":3}}""", Text(raw));

        var onlyType = Assert.Single(Split("""{"items":[{"kind":"Widget","apiVersion":"example.com/v1"}]}""", Widgets).Items);
        Assert.Equal("""{"apiVersion":"example.com/v1","kind":"Widget"}""", Text(onlyType));
    }

    [Fact]
    public void ClusterScopedObjectsHaveNoNamespaceAndEmptyPagesNoItems()
    {
        var raw = Assert.Single(Split("""{"items":[{"metadata":{"name":"default"}}]}""", Namespaces).Items);
        Assert.Null(raw.Namespace);
        Assert.Equal("Namespace", (string?)raw.Parse()["kind"]);

        Assert.Empty(Split("""{"metadata":{},"items":null}""").Items);
        Assert.Null(Split("""{"items":[]}""").Continue);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"items":{}}""")]
    [InlineData("""{"items":[{"metadata":""")]
    public void APageThatIsNotAListIsAJsonError(string page)
    {
        Assert.ThrowsAny<JsonException>(() => Split(page));
    }
}
