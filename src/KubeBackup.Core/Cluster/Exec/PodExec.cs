using System.Diagnostics;
using System.Net.WebSockets;
using k8s;
using k8s.Autorest;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster.Exec;

/// <summary>
/// Runs a command in a pod's container through the exec subresource (WebSocket, channel protocol v4) without stdin or
/// a TTY, as <c>kubectl exec</c> does for a non-interactive command, and returns its exit code and output.
/// </summary>
public sealed class PodExec(IKubernetes client)
{
    /// <summary>How much of each output stream a result keeps (its end).</summary>
    public const int CapturedBytes = 64 * 1024;

    private const int CopyBufferSize = 16 * 1024;

    /// <summary>Runs the command; output is kept up to <see cref="CapturedBytes"/> per stream.</summary>
    /// <param name="container">Null lets the server choose (a pod's only container).</param>
    /// <exception cref="KbException"><see cref="ErrorIds.PodExecTimedOut"/> past the timeout (the process may go on
    /// running in the container: the exec API cannot stop it); <see cref="ErrorIds.PodExecFailed"/> when the command
    /// could not be run or the connection failed.</exception>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<ExecResult> RunAsync(string @namespace, string pod, string? container, IReadOnlyList<string> command,
        TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(@namespace, pod, container, command, timeout, stdout: null, cancellationToken);

    /// <summary>As the other overload, with all of stdout also copied to <paramref name="stdout"/> (a dump, say).</summary>
    public async Task<ExecResult> RunAsync(string @namespace, string pod, string? container, IReadOnlyList<string> command,
        TimeSpan timeout, Stream? stdout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("The command needs at least one element.", nameof(command));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        var target = container is null ? $"{@namespace}/{pod}" : $"{@namespace}/{pod} (container {container})";
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IStreamDemuxer? demuxer = null;
        try
        {
            // MuxedStreamNamespacedPodExecAsync would ask for stdin whatever it is told, and a command such as mysql
            // then waits for input: connect the socket here and demultiplex it ourselves.
            var socket = await client.WebSocketNamespacedPodExecAsync(pod, @namespace, command, container,
                stderr: true, stdin: false, stdout: true, tty: false, webSocketSubProtocol: WebSocketProtocol.V4BinaryWebsocketProtocol,
                cancellationToken: deadline.Token).ConfigureAwait(false);
            demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true);
            var stdoutTail = new OutputTail(CapturedBytes);
            var stderrTail = new OutputTail(CapturedBytes);
            var status = new MemoryStream();
            var reading = Task.WhenAll(
                CopyAsync(demuxer.GetStream(ChannelIndex.StdOut, null), stdoutTail, stdout, status: null),
                CopyAsync(demuxer.GetStream(ChannelIndex.StdErr, null), stderrTail, copy: null, status: null),
                CopyAsync(demuxer.GetStream(ChannelIndex.Error, null), tail: null, copy: null, status));
            demuxer.Start();

            // The demuxer's streams end when the socket closes, not on a token: on the deadline the socket is closed
            // (in finally) and the readers are abandoned.
            var finished = await Task.WhenAny(reading, Task.Delay(Timeout.Infinite, deadline.Token)).ConfigureAwait(false);
            if (finished != reading)
            {
                ObserveLater(reading);
                deadline.Token.ThrowIfCancellationRequested();
            }

            await reading.ConfigureAwait(false);
            var (exitCode, problem) = ExecStatus.Read(System.Text.Encoding.UTF8.GetString(status.GetBuffer(), 0, (int)status.Length));
            if (exitCode is not { } code)
            {
                throw Failed(target, command, problem!, null);
            }

            return new(code, stdoutTail.ToString(), stderrTail.ToString(), stdoutTail.Truncated || stderrTail.Truncated,
                Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (deadline.IsCancellationRequested && exception is not KbException)
        {
            throw new KbException(ErrorIds.PodExecTimedOut, KbErrorCategory.OperationTimeout, target,
                $"'{command[0]}' in {target} timed out after {Describe(timeout)}.", exception);
        }
        catch (HttpOperationException exception)
        {
            throw Failed(target, command, $"the server answered {(int)exception.Response.StatusCode}: {ServerMessage(exception)}", exception);
        }
        catch (Exception exception) when (exception is WebSocketException or HttpRequestException or IOException or KubernetesException)
        {
            throw Failed(target, command, exception.Message, exception);
        }
        finally
        {
            demuxer?.Dispose();
        }
    }

    /// <summary>"30s", "1m30s", "500ms": the way durations are written in hook specs.</summary>
    internal static string Describe(TimeSpan duration)
    {
        if (duration.TotalSeconds < 1)
        {
            return $"{duration.TotalMilliseconds:0}ms";
        }

        var text = duration.Hours + duration.Days * 24 > 0 ? $"{duration.Hours + duration.Days * 24}h" : "";
        text += duration.Minutes > 0 ? $"{duration.Minutes}m" : "";
        text += duration.Seconds > 0 || text.Length == 0 ? $"{duration.Seconds}s" : "";
        return text;
    }

    private static async Task CopyAsync(Stream source, OutputTail? tail, Stream? copy, MemoryStream? status)
    {
        using (source)
        {
            var buffer = new byte[CopyBufferSize];
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                tail?.Append(buffer.AsSpan(0, read));
                status?.Write(buffer, 0, read);
                if (copy is not null)
                {
                    await copy.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
            }
        }
    }

    private static void ObserveLater(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static string ServerMessage(HttpOperationException exception) =>
        exception.Response.Content is { Length: > 0 } content
            ? ExecStatus.Read(content).Problem ?? content
            : exception.Message;

    private static KbException Failed(string target, IReadOnlyList<string> command, string problem, Exception? inner) =>
        new(ErrorIds.PodExecFailed, KbErrorCategory.InvalidOperation, target, $"Could not run '{command[0]}' in {target}: {problem}", inner);
}
