namespace KubeBackup.Module.Tests.Support;

/// <summary>
/// One emulator for the module tests. The tests share process-wide state (environment variables,
/// the default load context), so they run in one collection, one at a time.
/// </summary>
public sealed class ModuleFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    public EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ModuleCollection : ICollectionFixture<ModuleFixture>
{
    public const string Name = "Module";
}
