<#
.SYNOPSIS
    The module's main job, end to end, against a cluster (by default the emulator started by ./build.ps1 -Task Demo):
    back the shop up, check the backup, and restore it into a new namespace.
.DESCRIPTION
    Uses only Microsoft.PowerShell.Core cmdlets besides KubeBackup's own, so it runs in pwsh and in hosted engines.
#>
[CmdletBinding()]
param(
    # The cluster to work on: a kubeconfig path or text.
    [Parameter(Mandatory)]
    [string] $Kubeconfig,

    # Where the demo keeps its files: the default storage location's folder lives here.
    [Parameter(Mandatory)]
    [string] $WorkDirectory,

    [string] $ModulePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'KubeBackup', 'KubeBackup.psd1')
)

$ErrorActionPreference = 'Stop'

function Say([string] $Text) {
    # What Write-Host does, without needing the Utility module.
    $PSCmdlet.WriteInformation([System.Management.Automation.HostInformationMessage]@{ Message = "`n== $Text" }, [string[]]'PSHOST')
}

Import-Module $ModulePath

# Every step ends in Out-Default so each renders with its own format view: a script's output is one pipeline, in
# which the first object's view would otherwise decide how everything after it looks.

Say 'The clusters in the kubeconfig'
Get-KbContext -Kubeconfig $Kubeconfig | Out-Default

Say 'Connecting to the demo cluster'
Test-KbConnection -Kubeconfig $Kubeconfig | Out-Default

# The default location of a user with nothing saved is a folder in the data directory; the demo points that
# directory into its work folder, so it never touches your own backups.
$saved = $env:KUBEBACKUP_CONFIG_DIR, $env:KUBEBACKUP_DATA_DIR
$env:KUBEBACKUP_CONFIG_DIR = [System.IO.Path]::Combine($WorkDirectory, 'config')
$env:KUBEBACKUP_DATA_DIR = [System.IO.Path]::Combine($WorkDirectory, 'data')
try {
    Say 'What a backup of the shop would take (-WhatIf reads the cluster, writes nothing)'
    New-KbBackup -Kubeconfig $Kubeconfig -IncludeNamespace 'shop*' -WhatIf | Out-Default

    Say 'Backing up the shop into the local default location'
    New-KbBackup -Kubeconfig $Kubeconfig -Name shop-demo -IncludeNamespace 'shop*' -Label @{ trigger = 'demo' } | Test-KbBackup | Out-Default

    Say 'The backups in the location'
    Get-KbBackup | Out-Default

    Say 'What the backup holds in the shop namespace'
    Get-KbBackupItem shop-demo -Namespace shop | Out-Default

    Say 'What a restore of the shop into a new namespace would do (-WhatIf reads the cluster, writes nothing)'
    Restore-KbBackup shop-demo -Kubeconfig $Kubeconfig -IncludeNamespace shop -NamespaceMapping @{ shop = 'shop-restored' } -WhatIf | Out-Default

    Say 'Restoring the shop into shop-restored'
    Restore-KbBackup shop-demo -Kubeconfig $Kubeconfig -IncludeNamespace shop -NamespaceMapping @{ shop = 'shop-restored' } -RestoreName shop-demo-restored | Out-Default

    Say 'What the restore did with each item'
    Get-KbRestoreItem shop-demo-restored | Out-Default
}
finally {
    $env:KUBEBACKUP_CONFIG_DIR, $env:KUBEBACKUP_DATA_DIR = $saved
}
