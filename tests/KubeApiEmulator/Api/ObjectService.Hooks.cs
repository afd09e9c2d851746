using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Semantics;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Api;

/// <summary>What the real control plane does right after some creates and deletes.</summary>
public sealed partial class ObjectService
{
    private void AfterCreate(ResourceDefinition def, JsonObject created)
    {
        if (def is { Group: "", Plural: "namespaces" })
            NamespaceDefaults(created.Text("metadata.name") ?? "");
        if (IsCrd(def) && CrdNaming.IsEstablished(created))
            Serve(created);
    }

    /// <summary>What the service account and root-CA publisher controllers put in every new namespace.</summary>
    private void NamespaceDefaults(string ns)
    {
        var sa = _catalog.FindAnyVersion("", "serviceaccounts");
        var cm = _catalog.FindAnyVersion("", "configmaps");
        if (sa is not null && _store.Get(sa.StorageKey, ns, "default") is null)
            Create(sa, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, WriteOptions.Default);
        if (cm is not null && _store.Get(cm.StorageKey, ns, "kube-root-ca.crt") is null)
            Create(cm, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kube-root-ca.crt",
                    ["annotations"] = new JsonObject { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
                },
                ["data"] = new JsonObject { ["ca.crt"] = RootCa.Pem },
            }, WriteOptions.Default);
    }

    private void AfterDelete(ResourceDefinition def, StoredObject deleted)
    {
        _applied.TryRemove(deleted.Uid, out _);
        if (!IsCrd(def))
            return;
        var node = deleted.ToNode();
        var group = node.Text("spec.group") ?? "";
        var plural = node.Text("spec.names.plural") ?? "";
        _catalog.Remove(group, plural);
        var key = group + "/" + plural;
        foreach (var instance in _store.Snapshot(key).Set)
        {
            try
            {
                _store.Delete(key, instance.Namespace, instance.Name);
            }
            catch (StoreException)
            {
            }
        }
        lock (_crdNaming)
            ReleaseNames(def, group, deleted.Name);
    }
}
