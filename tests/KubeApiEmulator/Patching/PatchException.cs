namespace KubeApiEmulator.Patching;

/// <summary>The patch document is malformed or cannot be applied to the object.</summary>
public sealed class PatchException(string message) : Exception(message);
