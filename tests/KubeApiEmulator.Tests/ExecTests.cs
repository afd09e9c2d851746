using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using KubeApiEmulator.Exec;
using KubeApiEmulator.Tests.Support;

namespace KubeApiEmulator.Tests;

public sealed class ExecTests : IAsyncLifetime
{
    private const string Namespace = "data";
    private const string Pod = "db-0";
    private const string V5 = "v5.channel.k8s.io";

    private MiniHost host = null!;
    private Kubernetes client = null!;

    public async Task InitializeAsync()
    {
        host = await MiniHost.StartAsync();
        client = host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Scripted_output_arrives_on_stdout_and_stderr_over_v4()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("hello out\n", "hello err\n"));
        string stdout = "", stderr = "";

        var exitCode = await client.NamespacedPodExecAsync(Pod, Namespace, "main", ["echo", "hello"], false, async (_, outStream, errStream) =>
        {
            var outText = new StreamReader(outStream).ReadToEndAsync();
            var errText = new StreamReader(errStream).ReadToEndAsync();
            stdout = await outText;
            stderr = await errText;
        }, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal("hello out\n", stdout);
        Assert.Equal("hello err\n", stderr);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(127)]
    public async Task The_exit_code_comes_back_to_the_client(int code)
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("", exitCode: code));

        var exitCode = await client.NamespacedPodExecAsync(Pod, Namespace, "main", ["sh", "-c", $"exit {code}"], false, DrainAsync, CancellationToken.None);

        Assert.Equal(code, exitCode);
    }

    [Theory]
    [InlineData("v4.channel.k8s.io", "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3")]
    [InlineData(V5, "command terminated with non-zero exit code: command terminated with exit code 3")]
    public async Task Non_zero_status_frame_is_what_the_real_server_sends(string protocol, string message)
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("", exitCode: 3));

        var messages = await ReceiveRawAsync(protocol, ["sh", "-c", "exit 3"]);

        var frame = Assert.Single(messages, candidate => candidate.Data.Length > 1 && candidate.Data[0] == 3);
        using var status = JsonDocument.Parse(frame.Data.AsMemory(1));
        var root = status.RootElement;
        Assert.Equal("Failure", root.GetProperty("status").GetString());
        Assert.Equal("NonZeroExitCode", root.GetProperty("reason").GetString());
        var cause = Assert.Single(root.GetProperty("details").GetProperty("causes").EnumerateArray());
        Assert.Equal("ExitCode", cause.GetProperty("reason").GetString());
        Assert.Equal("3", cause.GetProperty("message").GetString());
        Assert.Equal(message, root.GetProperty("message").GetString());
        Assert.False(root.TryGetProperty("kind", out _));
        Assert.False(root.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Over_v5_a_missing_executable_is_wrapped_again_by_the_stream_translator()
    {
        var result = await ExecV5Async(["pg_dumpall"]);

        using var status = JsonDocument.Parse(result.Status);
        Assert.Equal("InternalError", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(500, status.RootElement.GetProperty("code").GetInt32());
        Assert.StartsWith("Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container:",
            status.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Success_status_frame_is_the_bare_status()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("ok"));

        var result = await ExecV5Async(["true"]);

        Assert.Equal("""{"metadata":{},"status":"Success"}""", result.Status);
    }

    [Fact]
    public async Task Stdin_of_several_megabytes_echoes_back_over_v5()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Echo);
        var input = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 17);

        var result = await ExecV5Async(["cat"], input);

        Assert.Equal(input.Length, result.Stdout.Length);
        Assert.True(input.AsSpan().SequenceEqual(result.Stdout));
        Assert.Equal("""{"metadata":{},"status":"Success"}""", result.Status);
    }

    [Fact]
    public async Task Large_output_is_split_across_messages()
    {
        var payload = new string('x', 1024 * 1024);
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted(payload));

        var messages = await ReceiveRawAsync(V5, ["cat", "big"]);

        var stdoutFrames = messages.Where(message => message.Data.Length > 1 && message.Data[0] == 1).ToList();
        Assert.True(stdoutFrames.Count > 1, $"expected the 1 MiB output in several messages, got {stdoutFrames.Count}");
        Assert.Equal(payload.Length, stdoutFrames.Sum(frame => frame.Data.Length - 1));
        Assert.DoesNotContain(messages, message => message.Data.Length > 0 && message.Data[0] == 255);
    }

    [Fact]
    public async Task A_real_shell_reports_its_output_and_exit_code()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Process("/bin/sh"));
        string stdout = "", stderr = "";

        var exitCode = await client.NamespacedPodExecAsync(Pod, Namespace, "main", ["sh", "-c", "echo out; echo err >&2; exit 5"], false, async (_, outStream, errStream) =>
        {
            var outText = new StreamReader(outStream).ReadToEndAsync();
            var errText = new StreamReader(errStream).ReadToEndAsync();
            stdout = await outText;
            stderr = await errText;
        }, CancellationToken.None);

        Assert.Equal(5, exitCode);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);
    }

    [Fact]
    public async Task Stdin_streams_through_a_real_gzip_pipeline()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Process("/bin/sh"));
        var input = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        var result = await ExecV5Async(["sh", "-c", "gzip -c | gzip -dc"], input);

        Assert.True(input.AsSpan().SequenceEqual(result.Stdout), $"got {result.Stdout.Length} bytes back for {input.Length}");
        Assert.Equal("""{"metadata":{},"status":"Success"}""", result.Status);
    }

    [Fact]
    public async Task A_process_can_take_its_arguments_and_environment_from_the_test()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Process("/bin/sh",
            request => ["-c", "printf '%s %s' \"$GREETING\" \"$1\"", "sh", request.Command[^1]],
            new Dictionary<string, string> { ["GREETING"] = "hello" }));

        var result = await ExecV5Async(["pg_dump", "--dbname", "orders"]);

        Assert.Equal("hello orders", Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public async Task Cat_as_a_real_process_echoes_stdin_and_ends_when_stdin_closes()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Process("/bin/cat"));
        var input = Encoding.UTF8.GetBytes("line one\nline two\n");

        var result = await ExecV5Async(["cat"], input);

        Assert.Equal("line one\nline two\n", Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public async Task A_missing_handler_fails_like_a_missing_executable()
    {
        var error = await Assert.ThrowsAsync<KubernetesException>(() =>
            client.NamespacedPodExecAsync(Pod, Namespace, "main", ["pg_dumpall", "-c"], false, DrainAsync, CancellationToken.None));

        Assert.Equal("Failure", error.Status.Status);
        Assert.Equal("InternalError", error.Status.Reason);
        Assert.Equal(500, error.Status.Code);
        Assert.StartsWith("Internal error occurred: error executing command in container: failed to exec in container:", error.Status.Message);
        Assert.Contains("exec: \"pg_dumpall\": executable file not found in $PATH", error.Status.Message);
    }

    [Fact]
    public async Task A_handler_exception_is_reported_as_an_internal_error()
    {
        host.Exec.Register(Namespace, Pod, (_, _) => throw new InvalidOperationException("disk on fire"));

        var error = await Assert.ThrowsAsync<KubernetesException>(() =>
            client.NamespacedPodExecAsync(Pod, Namespace, "main", ["backup"], false, DrainAsync, CancellationToken.None));

        Assert.Equal("InternalError", error.Status.Reason);
        Assert.Equal("Internal error occurred: error executing command in container: disk on fire", error.Status.Message);
    }

    [Fact]
    public async Task The_handler_sees_the_request_as_the_client_sent_it()
    {
        ExecRequest? seen = null;
        host.Exec.Register(Namespace, Pod, "main", (request, _) =>
        {
            seen = request;
            return Task.FromResult(0);
        });

        await client.NamespacedPodExecAsync(Pod, Namespace, "main", ["pg_dump", "-Fc", "my db"], false, DrainAsync, CancellationToken.None);

        Assert.NotNull(seen);
        Assert.Equal(Namespace, seen.Namespace);
        Assert.Equal(Pod, seen.Pod);
        Assert.Equal("main", seen.Container);
        Assert.Equal(["pg_dump", "-Fc", "my db"], seen.Command);
        Assert.False(seen.Tty);
        Assert.NotNull(seen.Stdin);
    }

    [Fact]
    public async Task Dropping_the_connection_kills_the_process_tree()
    {
        var handlerEnded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = ExecHandlers.Process("/bin/sh");
        host.Exec.Register(Namespace, Pod, async (request, cancellationToken) =>
        {
            try
            {
                return await process(request, cancellationToken);
            }
            finally
            {
                handlerEnded.TrySetResult(cancellationToken.IsCancellationRequested);
            }
        });
        using var socket = await client.WebSocketNamespacedPodExecAsync(Pod, Namespace, ["sh", "-c", "sleep 300 & echo $!; wait"], "main",
            tty: false, webSocketSubProtocol: V5);
        using var demuxer = new StreamDemuxer(socket, supportsClose: true);
        var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        demuxer.Start();

        var childPid = int.Parse(await ReadLineAsync(stdout), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists($"/proc/{childPid}"), "the grandchild sleep should be running");
        socket.Abort();

        Assert.True(await handlerEnded.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the handler should see its token cancelled");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (IsAlive(childPid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(IsAlive(childPid), $"process {childPid} outlived the exec session");
    }

    [Fact]
    public async Task A_plain_request_without_upgrade_gets_a_400_status()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{host.Url}/api/v1/namespaces/{Namespace}/pods/{Pod}/exec?command=ls&stdout=true");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal("BadRequest", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal("Upgrade request required", status.RootElement.GetProperty("message").GetString());
        Assert.Equal(400, status.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_SPDY_upgrade_is_refused_with_a_400_status_that_names_it()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{host.Url}/api/v1/namespaces/{Namespace}/pods/{Pod}/exec?command=ls&stdout=true");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("SPDY", "3.1"));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("BadRequest", status.RootElement.GetProperty("reason").GetString());
        Assert.StartsWith("unable to upgrade connection: SPDY/3.1 is not supported", status.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_subprotocol_is_refused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v9.channel.k8s.io");

        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(ExecUri(["ls"]), CancellationToken.None));

        Assert.Contains("403", error.Message);
    }

    [Fact]
    public async Task The_server_picks_the_first_supported_protocol_the_client_offers()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("x"));
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v9.channel.k8s.io");
        socket.Options.AddSubProtocol("v4.channel.k8s.io");
        socket.Options.AddSubProtocol(V5);

        await socket.ConnectAsync(ExecUri(["ls"]), CancellationToken.None);

        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        socket.Abort();
    }

    [Fact]
    public async Task Base64_protocol_sends_text_frames_with_ascii_channels()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("hi", exitCode: 2));

        var messages = await ReceiveRawAsync("v4.base64.channel.k8s.io", ["x"]);

        Assert.All(messages, message => Assert.Equal(WebSocketMessageType.Text, message.Type));
        var frames = messages.Select(message => Encoding.ASCII.GetString(message.Data)).ToList();
        Assert.Contains("1" + Convert.ToBase64String("hi"u8.ToArray()), frames);
        var status = Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(frames, frame => frame.StartsWith('3'))[1..]));
        Assert.Contains("\"reason\":\"NonZeroExitCode\"", status);
    }

    [Fact]
    public async Task Plain_channel_protocol_sends_only_the_failure_message_as_status()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("", exitCode: 4));

        var messages = await ReceiveRawAsync("channel.k8s.io", ["x"]);

        var status = Assert.Single(messages, message => message.Data.Length > 1 && message.Data[0] == 3);
        Assert.Equal("command terminated with non-zero exit code: error executing command [x], exit code 4", Encoding.UTF8.GetString(status.Data, 1, status.Data.Length - 1));
    }

    [Fact]
    public async Task Stdin_frames_after_v5_close_reach_nobody_and_the_session_still_ends()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Exec.Register(Namespace, Pod, async (request, cancellationToken) =>
        {
            received.SetResult(await new StreamReader(request.Stdin!).ReadToEndAsync(cancellationToken));
            return 0;
        });
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(V5);
        await socket.ConnectAsync(ExecUri(["cat"], stdin: true), CancellationToken.None);

        await socket.SendAsync(new byte[] { 0, (byte)'a' }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(new byte[] { 255, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(new byte[] { 0, (byte)'b' }, WebSocketMessageType.Binary, true, CancellationToken.None);

        Assert.Equal("a", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var messages = await ReadUntilCloseAsync(socket);
        Assert.Contains(messages, message => message.Data.Length > 0 && message.Data[0] == 3);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task A_handler_that_ignores_a_flood_of_stdin_still_ends_the_session()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("done"));
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(V5);
        await socket.ConnectAsync(ExecUri(["true"], stdin: true), CancellationToken.None);

        var flooding = Task.Run(async () =>
        {
            var frame = new byte[64 * 1024];
            try
            {
                for (var i = 0; i < 64 && socket.State == WebSocketState.Open; i++)
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                // The server may finish and close while stdin is still on its way, as a real one does.
            }
        });
        var messages = await ReadUntilCloseAsync(socket);
        await flooding;

        var status = Assert.Single(messages, message => message.Data.Length > 0 && message.Data[0] == 3);
        Assert.Equal("""{"metadata":{},"status":"Success"}""", Encoding.UTF8.GetString(status.Data, 1, status.Data.Length - 1));
    }

    [Fact]
    public async Task With_a_tty_stderr_is_merged_into_stdout_and_resize_messages_are_accepted()
    {
        ExecRequest? seen = null;
        var scripted = ExecHandlers.Scripted("out;", "err;");
        host.Exec.Register(Namespace, Pod, (request, cancellationToken) =>
        {
            seen = request;
            return scripted(request, cancellationToken);
        });
        using var socket = await client.WebSocketNamespacedPodExecAsync(Pod, Namespace, ["sh"], "main", stdin: false, tty: true, webSocketSubProtocol: V5);
        using var demuxer = new StreamDemuxer(socket, supportsClose: true);
        var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        var resize = demuxer.GetStream(null, ChannelIndex.Resize);
        demuxer.Start();
        await resize.WriteAsync("""{"Width":120,"Height":40}"""u8.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var outText = ReadAllAsync(stdout, timeout.Token);
        var errText = ReadAllAsync(stderr, timeout.Token);

        Assert.Equal("out;err;", Encoding.UTF8.GetString(await outText));
        Assert.Empty(await errText);
        Assert.True(seen!.Tty);
    }

    [Fact]
    public async Task A_fast_producer_waits_for_a_slow_client_instead_of_buffering()
    {
        long written = 0;
        host.Exec.Register(Namespace, Pod, async (request, cancellationToken) =>
        {
            var chunk = new byte[64 * 1024];
            while (true)
            {
                await request.Stdout.WriteAsync(chunk, cancellationToken);
                Interlocked.Add(ref written, chunk.Length);
            }
        });
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(V5);
        await socket.ConnectAsync(ExecUri(["yes"]), CancellationToken.None);

        // Wait for the producer to stall: it must, once the buffers between it and the unread socket are full.
        long previous = -1, current = 0;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((current != previous || current == 0) && DateTime.UtcNow < deadline)
        {
            previous = current;
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            current = Interlocked.Read(ref written);
        }

        // Only socket buffers may hold output the client has not read: a few MB on loopback, not hundreds.
        Assert.True(current == previous, $"the producer never stalled: {current} bytes written");
        Assert.InRange(current, 1, 32L * 1024 * 1024);
        socket.Abort();
    }

    [Fact]
    public void Registry_prefers_container_then_pod_then_predicate()
    {
        var registry = new ExecRegistry();
        ExecHandler container = ExecHandlers.Scripted("container");
        ExecHandler pod = ExecHandlers.Scripted("pod");
        ExecHandler predicate = ExecHandlers.Scripted("predicate");
        registry.Register(request => request.Command[0] == "pg_dump", predicate);
        registry.Register("ns", "p", pod);
        registry.Register("ns", "p", "sidecar", container);

        Assert.True(registry.TryResolve(Request("ns", "p", "sidecar", "ls"), out var found));
        Assert.Same(container, found);
        Assert.True(registry.TryResolve(Request("ns", "p", "main", "ls"), out found));
        Assert.Same(pod, found);
        Assert.True(registry.TryResolve(Request("ns", "p", null, "ls"), out found));
        Assert.Same(pod, found);
        Assert.True(registry.TryResolve(Request("ns", "other", null, "pg_dump"), out found));
        Assert.Same(predicate, found);
        Assert.False(registry.TryResolve(Request("ns", "other", null, "ls"), out _));

        Assert.True(registry.Unregister("ns", "p"));
        Assert.False(registry.TryResolve(Request("ns", "p", "main", "ls"), out _));
        registry.Clear();
        Assert.False(registry.TryResolve(Request("ns", "p", "sidecar", "pg_dump"), out _));
    }

    [Fact]
    public async Task Kubectl_exec_returns_stdout_and_the_exit_code()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Process("/bin/sh"));

        var result = await Kubectl.RunAsync(host, "exec", "-n", Namespace, Pod, "--", "sh", "-c", "echo from-the-pod; exit 3");

        Assert.Equal("from-the-pod\n", result.Stdout);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("command terminated with exit code 3", result.Stderr);
    }

    [Fact]
    public async Task Kubectl_exec_succeeds_with_exit_code_zero_in_the_pods_container()
    {
        ExecRequest? seen = null;
        host.Exec.Register(Namespace, Pod, MiniHost.ContainerName, async (request, cancellationToken) =>
        {
            seen = request;
            await request.Stdout.WriteAsync("dump done\n"u8.ToArray(), cancellationToken);
            return 0;
        });

        var result = await Kubectl.RunAsync(host, "exec", "-n", Namespace, Pod, "--", "pg_dump", "orders");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("dump done\n", result.Stdout);
        Assert.Equal(["pg_dump", "orders"], seen!.Command);
        Assert.Null(seen.Stdin);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public async Task No_frame_reaches_the_client_before_the_start_latency(int milliseconds)
    {
        // kubectl 1.32 drops frames that arrive before it has created its streams (see ExecRegistry.StartLatency).
        host.Exec.StartLatency = TimeSpan.FromMilliseconds(milliseconds);
        host.Exec.Register(Namespace, Pod, ExecHandlers.Scripted("early\n"));
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(V5);
        await socket.ConnectAsync(ExecUri(["echo", "early"]), CancellationToken.None);
        var connected = Stopwatch.StartNew();

        var first = await socket.ReceiveAsync(new byte[1024], CancellationToken.None);
        var waited = connected.Elapsed;
        var messages = await ReadUntilCloseAsync(socket);

        Assert.Equal(WebSocketMessageType.Binary, first.MessageType);
        Assert.InRange(waited, TimeSpan.FromMilliseconds(milliseconds * 0.9), TimeSpan.FromSeconds(10));
        Assert.Contains(messages, message => message.Data.AsSpan().SequenceEqual("\u0001early\n"u8));
    }

    [Fact]
    public async Task Kubectl_exec_pipes_stdin_and_closes_it()
    {
        host.Exec.Register(Namespace, Pod, ExecHandlers.Process("/bin/sh"));
        var input = string.Join("", Enumerable.Range(0, 20000).Select(i => $"row {i}\n"));

        var result = await Kubectl.RunWithInputAsync(host, input, "exec", "-i", "-n", Namespace, Pod, "--", "sh", "-c", "gzip -c | gzip -dc");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input, result.Stdout);
    }

    [Fact]
    public async Task Kubectl_exec_of_an_unknown_command_fails_as_on_a_real_cluster()
    {
        var result = await Kubectl.RunAsync(host, "exec", "-n", Namespace, Pod, "--", "mysqldump", "--all-databases");

        Assert.Equal(1, result.ExitCode);
        Assert.True(result.Stderr.StartsWith("error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec", StringComparison.Ordinal), result.Stderr);
        Assert.Contains("exec: \"mysqldump\": executable file not found in $PATH", result.Stderr);
    }

    private static ExecRequest Request(string ns, string pod, string? container, string command) =>
        new(ns, pod, container, [command], false, null, Stream.Null, Stream.Null);

    private static async Task DrainAsync(Stream stdin, Stream stdout, Stream stderr)
    {
        await Task.WhenAll(stdout.CopyToAsync(Stream.Null), stderr.CopyToAsync(Stream.Null));
    }

    private Uri ExecUri(IEnumerable<string> command, bool stdin = false)
    {
        var query = string.Join("&", command.Select(part => "command=" + Uri.EscapeDataString(part)));
        return new Uri($"{host.Url.Replace("http://", "ws://")}/api/v1/namespaces/{Namespace}/pods/{Pod}/exec?{query}&stdout=true&stderr=true&stdin={(stdin ? "true" : "false")}");
    }

    private async Task<List<(WebSocketMessageType Type, byte[] Data)>> ReceiveRawAsync(string protocol, IEnumerable<string> command)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        await socket.ConnectAsync(ExecUri(command), CancellationToken.None);
        Assert.Equal(protocol, socket.SubProtocol);
        return await ReadUntilCloseAsync(socket);
    }

    private static async Task<List<(WebSocketMessageType Type, byte[] Data)>> ReadUntilCloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var messages = new List<(WebSocketMessageType, byte[])>();
        var buffer = new byte[256 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return messages;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                messages.Add((result.MessageType, message.ToArray()));
                message.SetLength(0);
            }
        }
    }

    /// <summary>Runs a command over v5 as kubectl does: stdin written then closed with the v5 close message.</summary>
    private async Task<(byte[] Stdout, byte[] Stderr, string Status)> ExecV5Async(string[] command, byte[]? stdin = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = await client.WebSocketNamespacedPodExecAsync(Pod, Namespace, command, "main",
            stdin: stdin is not null, tty: false, webSocketSubProtocol: V5, cancellationToken: timeout.Token);
        Assert.Equal(V5, socket.SubProtocol);
        using var demuxer = new StreamDemuxer(socket, supportsClose: true);
        var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        var status = demuxer.GetStream(ChannelIndex.Error, null);
        demuxer.Start();

        var writing = Task.CompletedTask;
        if (stdin is not null)
        {
            var input = demuxer.GetStream(null, ChannelIndex.StdIn);
            writing = Task.Run(async () =>
            {
                for (var offset = 0; offset < stdin.Length; offset += 64 * 1024)
                {
                    await input.WriteAsync(stdin.AsMemory(offset, Math.Min(64 * 1024, stdin.Length - offset)), timeout.Token);
                }

                await demuxer.CloseChannel(ChannelIndex.StdIn, timeout.Token);
            });
        }

        var outBytes = ReadAllAsync(stdout, timeout.Token);
        var errBytes = ReadAllAsync(stderr, timeout.Token);
        var statusBytes = ReadAllAsync(status, timeout.Token);
        await writing;
        return (await outBytes, await errBytes, Encoding.UTF8.GetString(await statusBytes));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await stream.ReadAsync(one, timeout.Token) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    private static bool IsAlive(int pid)
    {
        // A killed child that nobody has reaped yet is a zombie: dead for this purpose.
        var stat = $"/proc/{pid}/stat";
        try
        {
            var fields = File.ReadAllText(stat);
            return fields[(fields.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The real kubectl against the mini host, with its own kubeconfig and discovery cache.</summary>
    private static class Kubectl
    {
        public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(MiniHost host, params string[] arguments) =>
            RunWithInputAsync(host, null, arguments);

        public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(MiniHost host, string? input, params string[] arguments)
        {
            var executable = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, "kubectl"))
                .FirstOrDefault(File.Exists);
            Assert.True(executable is not null,
                "kubectl is not on PATH. These tests need the real kubectl (1.32 on the build image). " +
                "Install it with `sudo apt-get install -y kubernetes-client` (Debian) or put a kubectl binary on PATH.");

            var directory = Directory.CreateTempSubdirectory("kubectl-exec-");
            try
            {
                var startInfo = new ProcessStartInfo(executable)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (var argument in (string[])["--kubeconfig", host.WriteKubeconfig(directory.FullName), "--cache-dir", Path.Combine(directory.FullName, "cache"), .. arguments])
                {
                    startInfo.ArgumentList.Add(argument);
                }

                using var process = Process.Start(startInfo)!;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                if (input is not null)
                {
                    await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
                }

                process.StandardInput.Close();
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }

                return (process.ExitCode, await stdout, await stderr);
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }
    }
}
