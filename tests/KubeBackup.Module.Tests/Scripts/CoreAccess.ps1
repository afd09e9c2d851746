# Test-only access to the engine inside the module's load context, for behaviour no cmdlet exposes yet
# (raw repository writes for the crash test). Dot-source after Import-Module KubeBackup.
# Core loads on first use; a cmdlet's parameter metadata (a Core type) is the lightest use.
[void](Get-Command Test-KbStorageLocation).Parameters
$script:KbCore = ([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'KubeBackup').Assemblies |
    Where-Object { $_.GetName().Name -eq 'KubeBackup.Core' }
$script:None = [System.Threading.CancellationToken]::None

function New-CoreObject([string] $TypeName, [object[]] $Arguments = @()) {
    [Activator]::CreateInstance($script:KbCore.GetType($TypeName, $true), $Arguments)
}

function Wait-Task($Task) { $Task.GetAwaiter().GetResult() }

function Open-TestRepository([string] $Directory, [switch] $Create) {
    $store = New-CoreObject 'KubeBackup.Core.Storage.FileSystemObjectStore' @($Directory)
    $type = $script:KbCore.GetType('KubeBackup.Core.Repository.BackupRepository', $true)
    if ($Create) {
        $options = New-CoreObject 'KubeBackup.Core.Repository.RepositoryInitOptions'
        return Wait-Task ($type.GetMethod('InitializeAsync').Invoke($null, @($store, $options, $null, $script:None)))
    }
    Wait-Task ($type.GetMethod('OpenAsync').Invoke($null, @($store, $null, $null, $script:None)))
}

function Add-TestItems($Writer, [int] $Count, [int] $Size) {
    $random = [System.Random]::new(7)
    for ($i = 0; $i -lt $Count; $i++) {
        $key = New-CoreObject 'KubeBackup.Core.Repository.ItemKey' @('', 'v1', 'configmaps', 'crash', "item-$i")
        $bytes = [byte[]]::new($Size)
        $random.NextBytes($bytes)
        [void](Wait-Task ($Writer.AddItemAsync($key, [System.ReadOnlyMemory[byte]]::new($bytes), $script:None)))
    }
}
