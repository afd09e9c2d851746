using System.Net;
using k8s;
using System.Text.Json.Nodes;
using k8s.Models;

namespace KubeApiEmulator.Tests;

/// <summary>CRDs whose names another CRD of the group already holds: not accepted, not established, not served.</summary>
public sealed class CrdNamingTests
{
    /// <summary>
    /// gadgets.example.com with the given kind and short names; its listKind is GadgetList, so that a kind taken
    /// from widgets.example.com is the only conflict (a defaulted WidgetList would conflict as well, and be reported last).
    /// </summary>
    private static V1CustomResourceDefinition GadgetCrd(string kind, params string[] shortNames)
    {
        var crd = CrdTests.WidgetCrd("Namespaced");
        crd.Metadata.Name = "gadgets.example.com";
        crd.Spec.Names = new V1CustomResourceDefinitionNames
        {
            Plural = "gadgets", Singular = "gadget", Kind = kind, ListKind = "GadgetList", ShortNames = shortNames,
        };
        return crd;
    }

    private static V1CustomResourceDefinitionCondition Condition(V1CustomResourceDefinition crd, string type) =>
        crd.Status.Conditions.Single(c => c.Type == type);

    [Fact]
    public async Task A_kind_held_by_another_crd_of_the_group_is_not_accepted_and_the_crd_is_not_served()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        var created = await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(GadgetCrd("Widget"));

        var names = Condition(created, "NamesAccepted");
        Assert.Equal(("False", "KindConflict", "\"Widget\" is already in use"), (names.Status, names.Reason, names.Message));
        var established = Condition(created, "Established");
        Assert.Equal(("False", "NotAccepted", "not all names are accepted"), (established.Status, established.Reason, established.Message));
        Assert.Equal(("gadgets", "gadget", "", "GadgetList"),
            (created.Status.AcceptedNames.Plural, created.Status.AcceptedNames.Singular, created.Status.AcceptedNames.Kind, created.Status.AcceptedNames.ListKind));

        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var resources = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1"))!["resources"]!.AsArray();
        Assert.DoesNotContain(resources, r => ((string?)r!["name"])!.StartsWith("gadgets", StringComparison.Ordinal));
        Assert.Contains(resources, r => (string?)r!["name"] == "widgets");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/apis/example.com/v1/namespaces/default/gadgets")).StatusCode);
        var widget = await c.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");
        Assert.Equal("True", Condition(widget, "Established").Status);
    }

    [Fact]
    public async Task A_short_name_held_by_another_crd_conflicts_while_the_same_names_in_another_group_do_not()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        var conflicting = await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(GadgetCrd("Gadget", "gd", "wd"));
        var names = Condition(conflicting, "NamesAccepted");
        Assert.Equal(("False", "ShortNamesConflict", "\"wd\" is already in use"), (names.Status, names.Reason, names.Message));
        Assert.Null(conflicting.Status.AcceptedNames.ShortNames);
        Assert.Equal("Gadget", conflicting.Status.AcceptedNames.Kind);

        var elsewhere = CrdTests.WidgetCrd("Namespaced");
        elsewhere.Metadata.Name = "widgets.other.example.com";
        elsewhere.Spec.Group = "other.example.com";
        var accepted = await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(elsewhere);
        Assert.Equal(("True", "NoConflicts"), (Condition(accepted, "NamesAccepted").Status, Condition(accepted, "NamesAccepted").Reason));
        Assert.Equal(("True", "InitialNamesAccepted"), (Condition(accepted, "Established").Status, Condition(accepted, "Established").Reason));
    }

    [Fact]
    public async Task A_defaulted_list_kind_that_conflicts_is_reported_last_as_the_real_controller_does()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        var crd = GadgetCrd("Widget");
        crd.Spec.Names.ListKind = null;
        var created = await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var names = Condition(created, "NamesAccepted");
        Assert.Equal(("False", "ListKindConflict", "\"WidgetList\" is already in use"), (names.Status, names.Reason, names.Message));
        Assert.Equal(("", null), (created.Status.AcceptedNames.Kind, created.Status.AcceptedNames.ListKind));
    }

    [Fact]
    public async Task A_plural_that_is_another_crds_singular_conflicts()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        var crd = GadgetCrd("Gizmo");
        crd.Metadata.Name = "widget.example.com";
        crd.Spec.Names.Plural = "widget";
        var created = await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var names = Condition(created, "NamesAccepted");
        Assert.Equal(("False", "PluralConflict", "\"widget\" is already in use"), (names.Status, names.Reason, names.Message));
        Assert.Equal("", created.Status.AcceptedNames.Plural);
    }

    [Fact]
    public async Task Deleting_the_crd_that_holds_the_names_establishes_the_waiting_one()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(GadgetCrd("Widget"));
        await c.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.com");

        var gadget = await c.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("gadgets.example.com");
        Assert.Equal(("True", "NoConflicts"), (Condition(gadget, "NamesAccepted").Status, Condition(gadget, "NamesAccepted").Reason));
        Assert.Equal(("True", "InitialNamesAccepted"), (Condition(gadget, "Established").Status, Condition(gadget, "Established").Reason));
        Assert.Equal(("gadgets", "Widget"), (gadget.Status.AcceptedNames.Plural, gadget.Status.AcceptedNames.Kind));
        var made = await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(CrdTests.Widget("served"), "example.com", "v1", "default", "gadgets");
        Assert.NotNull(made);
    }

    [Fact]
    public async Task Kubectl_shows_the_conditions_and_cannot_list_the_unserved_resource()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(GadgetCrd("Widget"));
        using var k = new Kubectl(c.Server);
        var conditions = await k.OkAsync("get", "crd", "gadgets.example.com", "-o",
            "jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason};{end}");
        Assert.Equal("NamesAccepted=False/KindConflict;Established=False/NotAccepted;", conditions);
        var (code, _, stderr) = await k.RunAsync("get", "gadgets");
        Assert.NotEqual(0, code);
        Assert.Contains("the server doesn't have a resource type \"gadgets\"", stderr);
        await k.OkAsync("get", "widgets");
    }
}
