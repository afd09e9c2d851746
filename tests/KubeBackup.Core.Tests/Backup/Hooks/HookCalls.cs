using System.Collections.Concurrent;
using KubeApiEmulator;
using KubeApiEmulator.Exec;

namespace KubeBackup.Core.Tests.Backup.Hooks;

/// <summary>
/// Answers every exec in the emulator and records it. The command's first word says what the "container" does:
/// <c>ok</c> exits 0, <c>fail CODE [STDERR]</c> exits with CODE after writing STDERR, <c>hang</c> runs until the
/// client goes away; anything else exits 0.
/// </summary>
internal sealed class HookCalls
{
    private readonly ConcurrentQueue<(string Pod, string? Container, IReadOnlyList<string> Command)> calls = new();

    public HookCalls(EmulatorServer emulator)
    {
        emulator.Exec.Register(_ => true, AnswerAsync);
    }

    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource HangEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(string Pod, string? Container, IReadOnlyList<string> Command)> All => [.. calls];

    /// <summary>The commands run, as "pod/container: argv joined by spaces".</summary>
    public IReadOnlyList<string> Lines => [.. calls.Select(call => $"{call.Pod}/{call.Container}: {string.Join(' ', call.Command)}")];

    private async Task<int> AnswerAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        calls.Enqueue(($"{request.Namespace}/{request.Pod}", request.Container, request.Command));
        switch (request.Command[0])
        {
            case "fail":
                if (request.Command.Count > 2)
                {
                    await request.Stderr.WriteAsync(System.Text.Encoding.UTF8.GetBytes(request.Command[2]), cancellationToken);
                }

                return int.Parse(request.Command[1], System.Globalization.CultureInfo.InvariantCulture);
            case "hang":
                HangStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                finally
                {
                    HangEnded.TrySetResult();
                }

                return 0;
            default:
                await request.Stdout.WriteAsync("done\n"u8.ToArray(), cancellationToken);
                return 0;
        }
    }
}
