using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace KubeApiEmulator.Exec;

/// <summary>
/// One accepted exec WebSocket: pumps stdin frames to the handler, runs it, sends the status on channel 3 and closes.
/// </summary>
internal sealed class ExecSession
{
    private const byte StdinChannel = 0;
    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte StatusChannel = 3;

    // How long the client gets to answer our close frame. The kubelet does not wait at all, and KubernetesClient never
    // answers, so a well-behaved client gets a clean handshake on loopback and the others cost little.
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromMilliseconds(100);

    private readonly ChannelSocket socket;
    private readonly ExecOptions options;
    private readonly Pipe? stdin;
    private readonly CancellationTokenSource clientGone = new();
    private volatile bool discardStdin;

    public ExecSession(ChannelSocket socket, ExecOptions options)
    {
        this.socket = socket;
        this.options = options;

        // Backpressure: past 1 MiB of unread stdin the socket is not read until the handler catches up.
        stdin = options.Stdin ? new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024)) : null;
    }

    public async Task RunAsync(string @namespace, string pod, ExecRegistry registry, CancellationToken aborted)
    {
        using var handlerCancellation = CancellationTokenSource.CreateLinkedTokenSource(aborted, clientGone.Token);
        var receiving = ReceiveAsync(aborted);

        // The kubelet sends an empty frame on the lowest output channel to tell the client the streams are up.
        var firstChannel = options.Stdout ? StdoutChannel : options.Stderr ? StderrChannel : StatusChannel;
        var status = await StartLatencyAsync(registry.StartLatency, aborted).ConfigureAwait(false)
            && await TrySendAsync(firstChannel, aborted).ConfigureAwait(false)
            ? await RunHandlerAsync(@namespace, pod, registry, handlerCancellation.Token).ConfigureAwait(false)
            : null;

        // Whatever stdin the handler left unread is dropped from now on, so the receive loop is never stuck on a full
        // pipe and can see the client's close. Completing the reader instead could race a read still in progress.
        discardStdin = true;
        stdin?.Writer.CancelPendingFlush();
        if (status is not null && !clientGone.IsCancellationRequested)
        {
            status = socket.Protocol.Translated ? status.ThroughStreamTranslator() : status;
            var payload = socket.Protocol.JsonStatus ? status.ToChannelJson() : status.ToChannelText();
            if (socket.Protocol.JsonStatus || payload.Length > 0)
            {
                await TrySendAsync(StatusChannel, aborted, payload).ConfigureAwait(false);
            }
        }

        await CloseAsync(receiving, aborted).ConfigureAwait(false);
    }

    private async Task<ExecStatus?> RunHandlerAsync(string @namespace, string pod, ExecRegistry registry, CancellationToken cancellationToken)
    {
        var stdout = options.Stdout ? new ChannelWriteStream(socket, StdoutChannel) : Stream.Null;

        // A terminal merges stderr into its output, so with a TTY the kubelet has no stderr stream.
        var stderr = options.Tty ? stdout : options.Stderr ? new ChannelWriteStream(socket, StderrChannel) : Stream.Null;
        var request = new ExecRequest(@namespace, pod, options.Container, options.Command, options.Tty,
            stdin?.Reader.AsStream(), stdout, stderr);

        if (!registry.TryResolve(request, out var handler))
        {
            return ExecStatus.InternalError(MissingExecutableError(options.Command[0]));
        }

        try
        {
            var exitCode = await handler(request, cancellationToken).ConfigureAwait(false);
            return exitCode == 0 ? ExecStatus.Succeeded : ExecStatus.NonZeroExit(options.Command, exitCode);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nobody is left to tell.
            return null;
        }
        catch (Exception exception)
        {
            return ExecStatus.InternalError(exception.Message);
        }
    }

    /// <summary>What containerd and runc report when the command is not in the container's PATH.</summary>
    private static string MissingExecutableError(string executable)
    {
        var execId = RandomNumberGenerator.GetHexString(64, lowercase: true);
        return $"failed to exec in container: failed to start exec \"{execId}\": OCI runtime exec failed: exec failed: " +
            $"unable to start container process: exec: \"{executable}\": executable file not found in $PATH: unknown";
    }

    private async Task ReceiveAsync(CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var reader = new FrameReader(socket.Protocol);
            while (true)
            {
                var result = await socket.WebSocket.ReceiveAsync(buffer.AsMemory(), aborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                foreach (var (channel, payload) in reader.Read(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage))
                {
                    await DispatchAsync(channel, payload, aborted).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is gone, or the session ended without waiting for the client's close; the finally below
            // tells the handler.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await CompleteStdinAsync().ConfigureAwait(false);
            if (socket.WebSocket.State != WebSocketState.Closed)
            {
                await clientGone.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask DispatchAsync(int channel, ReadOnlyMemory<byte> payload, CancellationToken aborted)
    {
        if (channel == StdinChannel && stdin is not null && !payload.IsEmpty && !discardStdin)
        {
            try
            {
                await stdin.Writer.WriteAsync(payload, aborted).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // The writer was completed by a close-stdin message; later stdin frames are dropped, as the kubelet does.
            }
        }
        else if (channel == FrameReader.CloseStdin)
        {
            await CompleteStdinAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask CompleteStdinAsync()
    {
        if (stdin is not null)
        {
            await stdin.Writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Nothing reaches the client sooner than from a real cluster, where the API server first reaches the kubelet and
    /// the runtime starts the process. kubectl 1.32 starts reading the socket before it has created its streams
    /// (client-go's websocket executor until kubernetes/kubernetes#131203) and drops frames that come that early: with
    /// no latency, about one <c>kubectl exec</c> in 200 lost its stdout yet exited 0.
    /// </summary>
    private static async Task<bool> StartLatencyAsync(TimeSpan latency, CancellationToken aborted)
    {
        if (latency <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(latency, aborted).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> TrySendAsync(byte channel, CancellationToken aborted, byte[]? payload = null)
    {
        try
        {
            await socket.SendAsync(channel, payload ?? [], aborted).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private async Task CloseAsync(Task receiving, CancellationToken aborted)
    {
        try
        {
            await socket.CloseOutputAsync(aborted).ConfigureAwait(false);
            await receiving.WaitAsync(CloseHandshakeTimeout, aborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Returning closes the connection after the frames already sent, as the kubelet's close does.
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            socket.WebSocket.Abort();
        }
    }
}
