namespace KubeApiEmulator.Semantics;

/// <summary>The finalizers the StorageObjectInUseProtection admission plugin puts on claims and volumes.</summary>
public static class ProtectionFinalizers
{
    public const string Claim = "kubernetes.io/pvc-protection";
    public const string Volume = "kubernetes.io/pv-protection";
}
