using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Faults;

/// <summary>
/// Fails requests by rule, reproducibly: every rule draws from its own Random seeded from the injector's seed and
/// the rule's position in the order of adding, so the same seed and the same requests give the same faults.
/// </summary>
public sealed class FaultInjector(int seed)
{
    private readonly Lock gate = new();
    private readonly List<RuleState> rules = [];
    private int added;
    private int totalInjected;

    /// <summary>The rules in the order they are tried.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (gate)
            {
                return [.. rules.Select(state => state.Rule)];
            }
        }
    }

    /// <summary>Faults injected by all rules, removed ones included.</summary>
    public int TotalInjected
    {
        get
        {
            lock (gate)
            {
                return totalInjected;
            }
        }
    }

    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Probability is < 0 or > 1 || double.IsNaN(rule.Probability))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.Probability, "Probability must be between 0 and 1.");
        }

        if (rule.Latency < TimeSpan.Zero || rule.RetryAfterSeconds < 0 || rule.MaxCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "Latency, RetryAfterSeconds and MaxCount cannot be negative.");
        }

        lock (gate)
        {
            if (rules.Any(state => ReferenceEquals(state.Rule, rule)))
            {
                throw new ArgumentException("This rule instance is already added.", nameof(rule));
            }

            // Distinct, reproducible streams per rule; unchecked because a seed near int.MaxValue may wrap.
            rules.Add(new RuleState(rule, new Random(unchecked(seed + (added++ * 7919)))));
            return rule;
        }
    }

    public bool Remove(FaultRule rule)
    {
        lock (gate)
        {
            return rules.RemoveAll(state => ReferenceEquals(state.Rule, rule)) > 0;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    /// <summary>How many faults the rule has injected (0 for a rule never added).</summary>
    public int InjectedCount(FaultRule rule)
    {
        lock (gate)
        {
            return rules.FirstOrDefault(state => ReferenceEquals(state.Rule, rule))?.Injected ?? 0;
        }
    }

    /// <summary>Applies the rules to a request whose namespace is read from its path.</summary>
    public Task<bool> TryInjectAsync(HttpContext context, string verb, string resource) =>
        TryInjectAsync(context, verb, resource, NamespaceOf(context.Request.Path));

    /// <summary>
    /// Applies the rules in order. Latency faults delay the request and go on to the next rule; any other fault
    /// answers or aborts it. Returns true when the request has been answered or aborted and must not be served.
    /// </summary>
    public async Task<bool> TryInjectAsync(HttpContext context, string verb, string resource, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aborted = context.RequestAborted;
        foreach (var rule in Decide(verb, resource, @namespace))
        {
            switch (rule.Kind)
            {
                case FaultKind.Latency:
                    try
                    {
                        await Task.Delay(rule.Latency, aborted).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                    {
                        return true;
                    }

                    break;
                case FaultKind.DropConnection:
                    context.Abort();
                    return true;
                default:
                    try
                    {
                        await FaultResponse.WriteAsync(context, rule).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                    {
                        // The client left while the error was being written: the request is over either way.
                    }

                    return true;
            }
        }

        return false;
    }

    /// <summary>The faults to apply, ending at the first that answers the request; counts them as injected.</summary>
    private List<FaultRule> Decide(string verb, string resource, string? @namespace)
    {
        var chosen = new List<FaultRule>();
        lock (gate)
        {
            foreach (var state in rules)
            {
                if (!state.Rule.Matches(verb, resource, @namespace) || state.Injected >= (state.Rule.MaxCount ?? int.MaxValue))
                {
                    continue;
                }

                // Draw for every matching request, hit or miss, so the sequence depends only on the requests.
                if (state.Random.NextDouble() >= state.Rule.Probability)
                {
                    continue;
                }

                state.Injected++;
                totalInjected++;
                chosen.Add(state.Rule);
                if (state.Rule.Kind != FaultKind.Latency)
                {
                    break;
                }
            }
        }

        return chosen;
    }

    /// <summary>The namespace of a namespaced API path (<c>.../namespaces/{ns}/{resource}...</c>), else null.</summary>
    private static string? NamespaceOf(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(segments, "namespaces");
        return index >= 0 && index + 1 < segments.Length ? segments[index + 1] : null;
    }

    private sealed class RuleState(FaultRule rule, Random random)
    {
        public FaultRule Rule { get; } = rule;

        public Random Random { get; } = random;

        public int Injected { get; set; }
    }
}
