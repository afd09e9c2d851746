using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class VolumeTransformTests
{
    private static readonly ItemKey ClaimKey = new("", "v1", "persistentvolumeclaims", "shop", "data-db-0");
    private static readonly ItemKey VolumeKey = new("", "v1", "persistentvolumes", null, "pvc-0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f");

    private static JsonObject BoundClaim() => Parse("""
        {
          "apiVersion": "v1", "kind": "PersistentVolumeClaim",
          "metadata": {
            "annotations": {
              "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes",
              "volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com", "volume.kubernetes.io/selected-node": "ip-10-0-1-17.ec2.internal",
              "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com"
            },
            "finalizers": [ "kubernetes.io/pvc-protection" ],
            "labels": { "app": "db" },
            "name": "data-db-0", "namespace": "shop", "uid": "0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f", "resourceVersion": "9012"
          },
          "spec": {
            "accessModes": [ "ReadWriteOnce" ], "resources": { "requests": { "storage": "10Gi" } }, "storageClassName": "gp3",
            "volumeMode": "Filesystem", "volumeName": "pvc-0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f"
          },
          "status": { "accessModes": [ "ReadWriteOnce" ], "capacity": { "storage": "10Gi" }, "phase": "Bound" }
        }
        """);

    private static JsonObject BoundVolume() => Parse("""
        {
          "apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": {
            "annotations": { "pv.kubernetes.io/bound-by-controller": "yes", "pv.kubernetes.io/provisioned-by": "ebs.csi.aws.com" },
            "finalizers": [ "kubernetes.io/pv-protection", "external-attacher/ebs-csi-aws-com" ],
            "name": "pvc-0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f", "uid": "f1e2d3c4-5555-4b6a-9788-796a5b4c3d2e", "resourceVersion": "9010"
          },
          "spec": {
            "accessModes": [ "ReadWriteOnce" ], "capacity": { "storage": "10Gi" },
            "claimRef": { "apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": "data-db-0", "namespace": "shop", "resourceVersion": "9005", "uid": "0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f" },
            "csi": { "driver": "ebs.csi.aws.com", "fsType": "ext4", "volumeHandle": "vol-0a1b2c3d4e5f67890" },
            "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "gp3", "volumeMode": "Filesystem"
          },
          "status": { "lastPhaseTransitionTime": "2026-11-01T10:00:05Z", "phase": "Bound" }
        }
        """);

    [Fact]
    public void AClaimLosesItsBindingMarksAndItsVolumeWhenTheVolumeIsNotRestored()
    {
        var created = Created(ClaimKey, BoundClaim(), Context());
        AssertJson("""{ "volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com", "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com" }""", created["metadata"]!["annotations"]);
        AssertJson("""
            { "accessModes": [ "ReadWriteOnce" ], "resources": { "requests": { "storage": "10Gi" } }, "storageClassName": "gp3", "volumeMode": "Filesystem" }
            """, created["spec"]);
        Assert.False(created.ContainsKey("status"));
        AssertJson("""[ "kubernetes.io/pvc-protection" ]""", created["metadata"]!["finalizers"]);
    }

    [Fact]
    public void AClaimKeepsItsVolumeWhenTheVolumeIsRestoredToo()
    {
        var asked = new List<(string, string, string?, string)>();
        var created = Created(ClaimKey, BoundClaim(), Context(isRestored: (a, k, n, name) =>
        {
            asked.Add((a, k, n, name));
            return k == "PersistentVolume";
        }));
        Assert.Equal("pvc-0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f", Text(created["spec"]!["volumeName"]));
        Assert.Contains(("v1", "PersistentVolume", null, "pvc-0b8e2f4a-4444-4d5e-b6c7-8a9b0c1d2e3f"), asked);
        Assert.False(created["metadata"]!["annotations"]!.AsObject().ContainsKey("pv.kubernetes.io/bind-completed"));
    }

    [Fact]
    public void AVolumeIsPreBoundToItsClaimByName()
    {
        var created = Created(VolumeKey, BoundVolume(), Context());
        AssertJson("""{ "apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": "data-db-0", "namespace": "shop" }""", created["spec"]!["claimRef"]);
        AssertJson("""{ "pv.kubernetes.io/provisioned-by": "ebs.csi.aws.com" }""", created["metadata"]!["annotations"]);
        Assert.False(created.ContainsKey("status"));
        Assert.False(created["metadata"]!.AsObject().ContainsKey("namespace"));
        Assert.Equal("vol-0a1b2c3d4e5f67890", Text(created["spec"]!["csi"]!["volumeHandle"]));
    }

    [Fact]
    public void AVolumesClaimRefFollowsTheNamespaceMapping()
    {
        var created = Created(VolumeKey, BoundVolume(), Context(mapping: new Dictionary<string, string> { ["shop"] = "shop-dr" }));
        Assert.Equal("shop-dr", Text(created["spec"]!["claimRef"]!["namespace"]));
    }
}
