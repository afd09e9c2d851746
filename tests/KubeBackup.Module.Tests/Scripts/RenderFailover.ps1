# Renders Sync-KbStandby's result and Invoke-KbFailover's report, steps and workloads through the real formatter
# (KbShell's console host, Out-Default): the format views' script blocks fail silently (an empty cell or line), so the
# test reads the text. $Kubeconfig holds the contexts primary and dr.
param([string] $ModuleManifest, [string] $Kubeconfig, [string] $Url)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$env:KUBECONFIG = $Kubeconfig
New-KbBackup render -Context primary -StorageLocation $Url -IncludeNamespace webapp | Out-Null

'== sync' | Out-Default
Sync-KbStandby -Context dr -StorageLocation $Url | Out-Default
'== report' | Out-Default
Invoke-KbFailover webapp -PrimaryContext primary -DrContext dr -MaxDataLoss 1h -Tier Tier-2 -Force | Out-Default
'== steps' | Out-Default
$KbLastFailover.Steps | Out-Default
'== workloads' | Out-Default
$KbLastFailover.Workloads | Out-Default
'== end' | Out-Default
