using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Patching;
using KubeApiEmulator.Selectors;
using KubeApiEmulator.Tables;

namespace KubeApiEmulator.Tests;

/// <summary>The pure parts: patch algorithms, selectors, ages.</summary>
public sealed class UnitTests
{
    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Strategic_merge_merges_service_ports_by_port_and_deletes_from_primitive_lists()
    {
        var svc = J("""{"metadata":{"finalizers":["a","b"]},"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""");
        var patch = J("""{"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]},"spec":{"ports":[{"port":443,"targetPort":8443},{"port":8080}],"$setElementOrder/ports":[{"port":80}]}}""");
        var result = StrategicMergePatch.Apply(svc, patch);
        Assert.Equal("""{"metadata":{"finalizers":["b","c"]},"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443},{"port":8080}]}}""",
            result.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_retain_keys_and_map_replace()
    {
        var obj = J("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"selector":{"a":"1","b":"2"}}}""");
        var patch = J("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"selector":{"$patch":"replace","c":"3"}}}""");
        var result = StrategicMergePatch.Apply(obj, patch);
        Assert.Equal("""{"spec":{"strategy":{"type":"Recreate"},"selector":{"c":"3"}}}""", result.ToJsonString());
    }

    [Fact]
    public void Merge_patch_follows_rfc_7386()
    {
        var result = MergePatch.Apply(J("""{"a":"b","c":{"d":"e","f":"g"}}"""), J("""{"a":"z","c":{"f":null}}"""));
        Assert.Equal("""{"a":"z","c":{"d":"e"}}""", result!.ToJsonString());
    }

    [Fact]
    public void Json_patch_move_and_escaped_pointers()
    {
        var result = JsonPatch.Apply(J("""{"metadata":{"annotations":{"a/b":"1"}},"list":[1,2]}"""),
            JsonNode.Parse("""[{"op":"move","from":"/metadata/annotations/a~1b","path":"/moved"},{"op":"add","path":"/list/-","value":3},{"op":"remove","path":"/list/0"}]""")!);
        Assert.Equal("""{"metadata":{"annotations":{}},"list":[2,3],"moved":"1"}""", result.ToJsonString());
        Assert.Throws<PatchException>(() => JsonPatch.Apply(J("{}"), JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!));
    }

    [Theory]
    [InlineData("a in (x", "unable to parse requirement")]
    [InlineData("=x", "unable to parse requirement")]
    public void Malformed_label_selectors_are_bad_requests(string selector, string message)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));
        Assert.Equal(400, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(40 * 86400, "40d")]
    public void Ages_print_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Continue_tokens_round_trip_and_garbage_is_a_bad_request()
    {
        var token = new ContinueToken(42, "ns", "name").Encode();
        Assert.Equal(new ContinueToken(42, "ns", "name"), ContinueToken.Decode(token, namespaced: true));
        Assert.Equal(400, Assert.Throws<ApiException>(() => ContinueToken.Decode("!!!", true)).Code);
    }
}
