namespace KubeApiEmulator.Hosting;

/// <summary>The standalone command's options.</summary>
public sealed class CommandLine
{
    public int Port { get; private set; }
    public string? KubeconfigPath { get; private set; }
    public string ContextName { get; private set; } = "emulator";
    public List<string> Load { get; } = [];
    public List<Faults.FaultRule> Faults { get; } = [];
    public int Synthetic { get; private set; }
    public int Seed { get; private set; } = 1;
    public bool ExitOnStdinClose { get; private set; }
    public bool SnapshotCrds { get; private set; } = true;
    public bool Controllers { get; private set; } = true;
    public bool LogRequests { get; private set; }
    public bool SelfTestSpeed { get; private set; }

    /// <summary>--snapshot-error: "namespace/name" (a trailing * is a prefix) to the status.error.message the snapshot reports.</summary>
    public Dictionary<string, string> SnapshotErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>--snapshot-never-ready: "namespace/name" (a trailing * is a prefix) of snapshots that never become ready.</summary>
    public List<string> SnapshotsNeverReady { get; } = [];

    /// <summary>--snapshot-ready-delay: how long a snapshot takes to become ready; null keeps the default.</summary>
    public TimeSpan? SnapshotReadyDelay { get; private set; }

    /// <summary>--workload-never-ready: "namespace/name" (a trailing * is a prefix) of workloads that never become ready.</summary>
    public List<string> WorkloadsNeverReady { get; } = [];

    /// <summary>--workload-ready-delay: how long a workload takes to become ready; null keeps the default.</summary>
    public TimeSpan? WorkloadReadyDelay { get; private set; }

    public const string Usage = """
        usage: KubeApiEmulator [--port N] [--kubeconfig PATH] [--context NAME] [--load DIR|FILE]...
                               [--synthetic N] [--seed S] [--exit-on-stdin-close] [--no-snapshot-crds]
                               [--no-controllers] [--log-requests] [--fault KIND:VERB:RESOURCE[:COUNT]]...
                               [--snapshot-error NS/NAME=MESSAGE]... [--snapshot-never-ready NS/NAME]...
                               [--snapshot-ready-delay MS] [--workload-never-ready NS/NAME]...
                               [--workload-ready-delay MS]
               KubeApiEmulator --selftest-speed
        """;

    public static CommandLine Parse(string[] args)
    {
        var c = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.TryParse(Value(), out var n) && n >= 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a non-negative number");
            switch (args[i])
            {
                case "--port": c.Port = Number(); break;
                case "--kubeconfig": c.KubeconfigPath = Value(); break;
                case "--context": c.ContextName = Value(); break;
                case "--load": c.Load.Add(Value()); break;
                case "--fault": c.Faults.Add(KubeApiEmulator.Faults.FaultRuleText.Parse(Value())); break;
                case "--synthetic": c.Synthetic = Number(); break;
                case "--seed": c.Seed = Number(); break;
                case "--exit-on-stdin-close": c.ExitOnStdinClose = true; break;
                case "--no-snapshot-crds": c.SnapshotCrds = false; break;
                case "--no-controllers": c.Controllers = false; break;
                case "--log-requests": c.LogRequests = true; break;
                case "--selftest-speed": c.SelfTestSpeed = true; break;
                case "--snapshot-error":
                    var (key, message) = SnapshotError(Value());
                    c.SnapshotErrors[key] = message;
                    break;
                case "--snapshot-never-ready": c.SnapshotsNeverReady.Add(NameKey(Value(), "--snapshot-never-ready", "snapshot")); break;
                case "--snapshot-ready-delay": c.SnapshotReadyDelay = TimeSpan.FromMilliseconds(Number()); break;
                case "--workload-never-ready": c.WorkloadsNeverReady.Add(NameKey(Value(), "--workload-never-ready", "workload")); break;
                case "--workload-ready-delay": c.WorkloadReadyDelay = TimeSpan.FromMilliseconds(Number()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return c;
    }

    private static (string Key, string Message) SnapshotError(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || equals == value.Length - 1)
            throw new ArgumentException($"--snapshot-error needs NS/NAME=MESSAGE, not '{value}'");
        return (NameKey(value[..equals], "--snapshot-error", "snapshot"), value[(equals + 1)..]);
    }

    // "namespace/name", where the name may end in * to match every object (a snapshot, a workload) whose name starts with the rest.
    private static string NameKey(string value, string option, string what)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0 || value.IndexOf('*', StringComparison.Ordinal) is var star && star >= 0 && star != value.Length - 1)
            throw new ArgumentException($"{option} needs a {what} as NS/NAME (NAME may end in *), not '{value}'");
        return value;
    }
}
