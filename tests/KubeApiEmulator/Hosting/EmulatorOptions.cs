using KubeApiEmulator.Controllers;

namespace KubeApiEmulator;

/// <summary>How an emulated cluster starts.</summary>
public sealed class EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Name of the kubeconfig context and cluster.</summary>
    public string ContextName { get; set; } = "emulator";

    /// <summary>Bearer token written to the kubeconfig; requests with another token get 401.</summary>
    public string Token { get; set; } = "emulator-token";

    /// <summary>Service cluster IP range.</summary>
    public string ServiceCidr { get; set; } = "10.96.0.0/12";

    /// <summary>Install the snapshot.storage.k8s.io CRDs and a VolumeSnapshotClass, like a cluster with CSI snapshots.</summary>
    public bool InstallSnapshotCrds { get; set; } = true;

    /// <summary>How long continue tokens of paged lists stay valid (older ones get 410 Gone).</summary>
    public TimeSpan CompactionWindow { get; set; } = TimeSpan.FromMinutes(5);

    public ControllerSettings Controllers { get; set; } = new();

    /// <summary>Seed of the fault injector, for reproducible failures.</summary>
    public int FaultSeed { get; set; } = 1;

    /// <summary>Log one line per request to the console.</summary>
    public bool LogRequests { get; set; }

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
