<#
.SYNOPSIS
    The module's main job, end to end, against a cluster: by default the emulator started by ./build.ps1 -Task Demo.
.DESCRIPTION
    Uses only Microsoft.PowerShell.Core cmdlets besides KubeBackup's own, so it runs in pwsh and in hosted engines.
#>
[CmdletBinding()]
param(
    # The cluster to work on: a kubeconfig path or text.
    [Parameter(Mandatory)]
    [string] $Kubeconfig,

    # Where the demo keeps its files (the local backup location, in later steps).
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

Say 'The clusters in the kubeconfig'
Get-KbContext -Kubeconfig $Kubeconfig

Say 'Connecting to the demo cluster'
Test-KbConnection -Kubeconfig $Kubeconfig
