# Renders the snapshot cmdlets' output through the real formatter (KbShell's console host, Out-Default): the format
# views' script blocks fail silently (an empty cell), so the test reads the text.
param([string] $ModuleManifest, [string] $Kubeconfig)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$env:KUBECONFIG = $Kubeconfig

'== snapshots' | Out-Default
Get-KbVolumeSnapshot -AllNamespaces | Out-Default
'== retention' | Out-Default
Remove-KbExpiredSnapshot -Namespace prod -KeepLast 1 -WhatIf | Out-Default
'== end' | Out-Default
