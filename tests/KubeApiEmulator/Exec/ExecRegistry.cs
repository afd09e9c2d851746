using System.Diagnostics.CodeAnalysis;

namespace KubeApiEmulator.Exec;

/// <summary>
/// The exec handlers a test registered. The most specific registration wins: pod and container, then the whole pod,
/// then predicates in the order they were added.
/// </summary>
public sealed class ExecRegistry
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Namespace, string Pod, string? Container), ExecHandler> byPod = [];
    private readonly List<(Func<ExecRequest, bool> Predicate, ExecHandler Handler)> byPredicate = [];

    /// <summary>
    /// How long an exec takes to start, as the API server, kubelet and container runtime of a real cluster take: no frame
    /// (not even the empty "streams are up" one) reaches the client sooner. kubectl 1.32 loses output that arrives within
    /// microseconds of the handshake (see <c>ExecSession</c>). Zero sends at once.
    /// </summary>
    public TimeSpan StartLatency { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Answers every exec into the pod, whatever the container.</summary>
    public void Register(string @namespace, string pod, ExecHandler handler) => Register(@namespace, pod, null, handler);

    /// <summary>Answers execs into one container of the pod; a null container means any container.</summary>
    public void Register(string @namespace, string pod, string? container, ExecHandler handler)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            byPod[(@namespace, pod, container)] = handler;
        }
    }

    /// <summary>Answers any exec the predicate accepts (for example by command) that no pod registration answers.</summary>
    public void Register(Func<ExecRequest, bool> predicate, ExecHandler handler)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            byPredicate.Add((predicate, handler));
        }
    }

    public bool Unregister(string @namespace, string pod, string? container = null)
    {
        lock (gate)
        {
            return byPod.Remove((@namespace, pod, container));
        }
    }

    public bool Unregister(Func<ExecRequest, bool> predicate)
    {
        lock (gate)
        {
            return byPredicate.RemoveAll(entry => entry.Predicate == predicate) > 0;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            byPod.Clear();
            byPredicate.Clear();
        }
    }

    public bool TryResolve(ExecRequest request, [NotNullWhen(true)] out ExecHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<(Func<ExecRequest, bool> Predicate, ExecHandler Handler)> predicates;
        lock (gate)
        {
            if ((request.Container is not null && byPod.TryGetValue((request.Namespace, request.Pod, request.Container), out handler))
                || byPod.TryGetValue((request.Namespace, request.Pod, null), out handler))
            {
                return true;
            }

            predicates = [.. byPredicate];
        }

        // Predicates are test code: run them outside the lock so one cannot block or re-enter the registry.
        foreach (var (predicate, candidate) in predicates)
        {
            if (predicate(request))
            {
                handler = candidate;
                return true;
            }
        }

        handler = null;
        return false;
    }
}
