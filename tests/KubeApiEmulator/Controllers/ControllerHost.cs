using System.Threading.Channels;
using KubeApiEmulator.Api;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// Runs the simulated controllers on one background loop fed by store change notifications and a delayed
/// work queue, so requests never wait for them.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    /// <summary>Lets a burst of writes arrive before the loop wakes, so bulk creates do not pay a thread switch each.</summary>
    private static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(2);

    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PriorityQueue<Action, DateTimeOffset> _delayed = new();
    private readonly object _delayedGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ObjectService _service;
    private readonly ControllerSettings _settings;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IController> _controllers;
    private readonly ControllerContext _context;
    private IDisposable? _subscription;
    private Task? _loop;

    public ControllerHost(ObjectService service, ControllerSettings settings, TimeProvider time)
    {
        _service = service;
        _settings = settings;
        _time = time;
        _context = new ControllerContext(service, settings, time, Schedule);
        _controllers =
        [
            new NamespaceController(),
            new WorkloadController(),
            new PodController(),
            new JobController(),
            new VolumeBindingController(),
            new SnapshotController(),
            new GarbageCollector(),
        ];
    }

    public void Start()
    {
        _service.Store.Subscribe(e => _work.Writer.TryWrite(() => Dispatch(e)), null, out _subscription);
        _settings.Changed += OnSettingsChanged;
        _loop = Task.Run(RunAsync);
        OnSettingsChanged();
    }

    private void OnSettingsChanged() => _work.Writer.TryWrite(() =>
    {
        foreach (var c in _controllers)
            c.Resync(_context);
    });

    private void Dispatch(WatchEvent e)
    {
        foreach (var c in _controllers)
            c.OnEvent(e, _context);
    }

    private void Schedule(TimeSpan delay, Action work)
    {
        if (delay <= TimeSpan.Zero)
        {
            _work.Writer.TryWrite(work);
            return;
        }
        lock (_delayedGate)
            _delayed.Enqueue(work, _time.GetUtcNow() + delay);
        _work.Writer.TryWrite(static () => { });
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            RunDue();
            TimeSpan wait;
            lock (_delayedGate)
                wait = _delayed.TryPeek(out _, out var due) ? due - _time.GetUtcNow() : TimeSpan.FromSeconds(1);
            if (wait < TimeSpan.Zero)
                wait = TimeSpan.Zero;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(token);
            timer.CancelAfter(wait);
            try
            {
                if (await _work.Reader.WaitToReadAsync(timer.Token))
                {
                    await Task.Delay(CoalesceDelay, token);
                    while (_work.Reader.TryRead(out var work))
                        Run(work);
                }
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void RunDue()
    {
        while (true)
        {
            Action? work = null;
            lock (_delayedGate)
            {
                if (_delayed.TryPeek(out var next, out var due) && due <= _time.GetUtcNow())
                {
                    _delayed.Dequeue();
                    work = next;
                }
            }
            if (work is null)
                return;
            Run(work);
        }
    }

    private static void Run(Action work)
    {
        try
        {
            work();
        }
        catch (ApiException)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"KubeApiEmulator controller error: {e}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _settings.Changed -= OnSettingsChanged;
        _subscription?.Dispose();
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop;
        _stop.Dispose();
    }
}
