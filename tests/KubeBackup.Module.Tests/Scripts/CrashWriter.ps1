# Writes a backup's packs and never commits: the crash test kills this process while it waits.
param([string] $ModuleManifest, [string] $Directory)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
. ([System.IO.Path]::Combine($PSScriptRoot, 'CoreAccess.ps1'))

$repository = Open-TestRepository $Directory -Create
$writer = Wait-Task ($repository.BeginBackupAsync('crashed', [NullString]::Value, $script:None))
# 48 MiB of incompressible items: more than two 16 MiB packs, so packs are uploaded before the commit.
Add-TestItems $writer 768 65536
while (-not [System.IO.Directory]::Exists([System.IO.Path]::Combine($Directory, 'packs'))) { [System.Threading.Thread]::Sleep(100) }
'READY'
[System.Threading.Thread]::Sleep([System.TimeSpan]::FromMinutes(10))
