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

    public const string Usage = """
        usage: KubeApiEmulator [--port N] [--kubeconfig PATH] [--context NAME] [--load DIR|FILE]...
                               [--synthetic N] [--seed S] [--exit-on-stdin-close] [--no-snapshot-crds]
                               [--no-controllers] [--log-requests] [--fault KIND:VERB:RESOURCE[:COUNT]]...
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
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return c;
    }
}
