# Renders Get-KbSchedule through the real formatter (KbShell's console host, Out-Default): the format view's script
# blocks fail silently (an empty cell), so the test reads the text. The clock is fixed, so ages and slots are known.
param([string] $ModuleManifest, [string] $Url)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
. ([System.IO.Path]::Combine($PSScriptRoot, 'CoreAccess.ps1'))
. ([System.IO.Path]::Combine($PSScriptRoot, 'BackupSeed.ps1'))
[KubeBackup.Infrastructure.ModuleClock]::FixedNow = [datetimeoffset]::Parse('2026-11-24T00:00:00Z', [cultureinfo]::InvariantCulture)
New-KbSchedule render-hourly -Cron '0 * * * *' -StorageLocation $Url | Out-Null
New-KbSchedule render-daily -Cron '0 2 * * *' -TimeZone Asia/Shanghai -Paused -StorageLocation $Url | Out-Null
$repository = Open-SeedRepository $Url
New-SeedBackup $repository render-hourly-20261124050000 -Started '2026-11-24T05:00:00Z' -Labels @{ 'kubebackup.io/schedule-name' = 'render-hourly' }
New-SeedBackup $repository render-hourly-20261124060000 -Phase Failed -Started '2026-11-24T06:00:00Z' -Labels @{ 'kubebackup.io/schedule-name' = 'render-hourly' }
$repository.Dispose()
[KubeBackup.Infrastructure.ModuleClock]::FixedNow = [datetimeoffset]::Parse('2026-11-24T08:30:00Z', [cultureinfo]::InvariantCulture)

'== schedules' | Out-Default
Get-KbSchedule -StorageLocation $Url | Out-Default
'== end' | Out-Default
