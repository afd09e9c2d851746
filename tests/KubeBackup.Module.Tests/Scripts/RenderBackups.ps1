# Renders the backup cmdlets' output through the real formatter (KbShell's console host, Out-Default): the format views'
# script blocks fail silently (an empty cell), so the test reads the text.
param([string] $ModuleManifest, [string] $Url)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
. ([System.IO.Path]::Combine($PSScriptRoot, 'CoreAccess.ps1'))
. ([System.IO.Path]::Combine($PSScriptRoot, 'BackupSeed.ps1'))
$repository = Open-SeedRepository $Url
New-SeedBackup $repository render-ok -Items 'apps/v1/deployments/prod/web', '-/v1/namespaces/-/prod' -Log 'Info||Backup started'
New-SeedBackup $repository render-partial -Phase PartiallyFailed -Items '-/v1/secrets/prod/tls' -Problems 'Error|v1 secrets prod/db|forbidden by RBAC' -Log 'Error|v1 secrets prod/db|forbidden by RBAC'
$repository.Dispose()

'== backups' | Out-Default
Get-KbBackup -StorageLocation $Url | Out-Default
'== items' | Out-Default
Get-KbBackupItem render-ok -StorageLocation $Url | Out-Default
'== log' | Out-Default
Get-KbBackupLog render-partial -StorageLocation $Url | Out-Default
'== verification' | Out-Default
Test-KbBackup -StorageLocation $Url | Out-Default
'== end' | Out-Default
