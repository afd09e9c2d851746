# Test-only: writes backups straight through the repository (no cluster), with the phase, times, problems, items and
# log a test needs: failed and expired backups cannot be made on demand by backing up a healthy emulator.
# Dot-source after CoreAccess.ps1.

function Open-SeedRepository([string] $Url) {
    $location = $script:KbCore.GetType('KubeBackup.Core.Storage.Locations.StorageLocationUrl', $true).GetMethod('Parse').Invoke($null, @($Url, $null))
    $store = $script:KbCore.GetType('KubeBackup.Core.Storage.ObjectStoreFactory', $true).GetMethod('Create').Invoke($null, @($location, $null))
    $type = $script:KbCore.GetType('KubeBackup.Core.Repository.BackupRepository', $true)
    $config = Wait-Task ($store.StatAsync('kubebackup.json', $script:None))
    if ($null -eq $config) {
        $options = New-CoreObject 'KubeBackup.Core.Repository.RepositoryInitOptions'
        return Wait-Task ($type.GetMethod('InitializeAsync').Invoke($null, @($store, $options, $null, $script:None)))
    }
    Wait-Task ($type.GetMethod('OpenAsync').Invoke($null, @($store, $null, $null, $script:None)))
}

# An empty target is no target (null), as the backup runner writes it.
function Get-SeedJsonString([string] $Value) { if ($Value) { """$Value""" } else { 'null' } }

# $Items: 'group/version/resource/namespace/name' ('-' for the core group or no namespace).
function New-SeedBackup($Repository, [string] $Name, [string] $Phase = 'Completed', [datetimeoffset] $Started = [datetimeoffset]::UtcNow,
    [datetimeoffset] $Expires = [datetimeoffset]::UtcNow.AddDays(30), [string[]] $Items = @(), [string[]] $Problems = @(), [string[]] $Log = @(), [hashtable] $Labels = @{}) {
    $writer = Wait-Task ($Repository.BeginBackupAsync($Name, [NullString]::Value, $script:None))
    foreach ($item in $Items) {
        $group, $version, $resource, $namespace, $itemName = $item.Split('/')
        if ($group -eq '-') { $group = '' }
        if ($namespace -eq '-') { $namespace = $null }
        $key = New-CoreObject 'KubeBackup.Core.Repository.ItemKey' @($group, $version, $resource, $namespace, $itemName)
        $json = [System.Text.Encoding]::UTF8.GetBytes("{""kind"":""Thing"",""metadata"":{""name"":""$itemName"",""padding"":""$('x' * 200)""}}")
        [void](Wait-Task ($writer.AddItemAsync($key, [System.ReadOnlyMemory[byte]]::new($json), $script:None)))
    }
    $problemJson = ($Problems | ForEach-Object { $severity, $target, $message = $_.Split('|'); "{""severity"":""$severity"",""target"":$(Get-SeedJsonString $target),""message"":""$message""}" }) -join ','
    $labelJson = (@('"seed":"true"') + @($Labels.GetEnumerator() | ForEach-Object { """$($_.Key)"":""$($_.Value)""" })) -join ','
    $record = "{""kind"":""Backup"",""name"":""$Name"",""labels"":{$labelJson},""spec"":{""includedNamespaces"":[]}," +
        """status"":{""phase"":""$Phase"",""startTimestamp"":""$($Started.ToString('O'))"",""expiration"":""$($Expires.ToString('O'))""," +
        """totalItems"":$($Items.Count),""itemsBackedUp"":$($Items.Count),""problems"":[$problemJson]}}"
    $logLines = ($Log | ForEach-Object { $level, $target, $message = $_.Split('|'); "{""time"":""$([datetimeoffset]::UtcNow.ToString('O'))"",""level"":""$level"",""message"":""$message"",""target"":$(Get-SeedJsonString $target)}" }) -join "`n"
    [void](Wait-Task ($writer.CommitAsync([System.ReadOnlyMemory[byte]]::new([System.Text.Encoding]::UTF8.GetBytes($record)),
        [System.ReadOnlyMemory[byte]]::new([System.Text.Encoding]::UTF8.GetBytes($logLines)), $script:None)))
}
