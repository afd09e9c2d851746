using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Cluster.Discovery;
using Microsoft.AspNetCore.Http;

namespace KubeBackup.Core.Tests.Cluster.Listing;

/// <summary>Objects and request observations for the lister tests.</summary>
internal static class ListingTestCluster
{
    public static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["get", "list"], ["cm"]);
    public static readonly ApiResource Secrets = new("", "v1", "secrets", "Secret", true, ["get", "list"], []);
    public static readonly ApiResource ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true, ["get", "list"], ["sa"]);
    public static readonly ApiResource Namespaces = new("", "v1", "namespaces", "Namespace", false, ["get", "list"], ["ns"]);

    public static void CreateNamespace(EmulatorServer emulator, string name) =>
        emulator.Cluster.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });

    public static void CreateConfigMaps(EmulatorServer emulator, string @namespace, int count, Func<int, JsonObject>? labels = null)
    {
        for (var i = 0; i < count; i++)
        {
            emulator.Cluster.Create(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"cm-{i:D5}", ["namespace"] = @namespace, ["labels"] = labels?.Invoke(i) ?? new JsonObject() },
                ["data"] = new JsonObject { ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }
    }

    /// <summary>Runs <paramref name="observe"/> on every resource request before the fault injector sees it.</summary>
    public static void Observe(EmulatorServer emulator, Func<HttpContext, string, string, Task<bool>> observe)
    {
        var inner = emulator.Hooks.Intercept;
        emulator.Hooks.Intercept = async (context, verb, resource, @namespace) =>
            await observe(context, verb, resource).ConfigureAwait(false)
            || (inner is not null && await inner(context, verb, resource, @namespace).ConfigureAwait(false));
    }

    /// <summary>Answers with a Status error as the API server does.</summary>
    public static async Task<bool> AnswerStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code };
        await context.Response.WriteAsync(status.ToJsonString()).ConfigureAwait(false);
        return true;
    }
}
