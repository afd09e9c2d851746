using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Exec;

/// <summary>The query parameters of an exec request (PodExecOptions), read the way the API server converts them.</summary>
internal sealed record ExecOptions(IReadOnlyList<string> Command, string? Container, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    public static ExecOptions FromQuery(IQueryCollection query, string? defaultContainer)
    {
        var container = query["container"].ToString();
        var tty = Flag(query, "tty");
        return new(
            [.. query["command"].Select(part => part ?? "")],
            string.IsNullOrEmpty(container) ? defaultContainer : container,
            Flag(query, "stdin"),
            Flag(query, "stdout"),

            // The kubelet drops stderr under a TTY rather than refusing the request.
            Flag(query, "stderr") && !tty,
            tty);
    }

    /// <summary>The refusal the API server or kubelet gives these options, or null when they are usable.</summary>
    public string? Problem()
    {
        if (Command.Count == 0)
        {
            return "you must specify at least one command for the container";
        }

        return Stdin || Stdout || Stderr ? null : "you must specify at least 1 of stdin, stdout, stderr";
    }

    // apimachinery converts a query value to bool as: absent, "0" or "false" is false, anything else true.
    private static bool Flag(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }

        var value = values[0] ?? "";
        return value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
    }
}
