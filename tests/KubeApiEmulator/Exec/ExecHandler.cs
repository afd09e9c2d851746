namespace KubeApiEmulator.Exec;

/// <summary>Answers one exec into a pod, as the container's process would; returns the process exit code.</summary>
public delegate Task<int> ExecHandler(ExecRequest request, CancellationToken cancellationToken);
