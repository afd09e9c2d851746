<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates KubeBackup.
.DESCRIPTION
    A convenience wrapper over the dotnet CLI. Runs in pwsh 7.4+ and, on machines without pwsh, in the
    bundled host: dotnet run --project tools/KbShell -- ./build.ps1 -Task Demo
    Uses only Microsoft.PowerShell.Core cmdlets and .NET (no Join-Path, Test-Path, Write-Host) so the test suite
    can run it in a hosted engine that has only the Core module.
.EXAMPLE
    ./build.ps1 -Task Demo
    Builds the module, starts the Kubernetes API emulator with the demo cluster and runs demo/Demo.ps1 against it.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Skips the build step of Demo, Test and Package (the tests use it: they run after a build).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = [System.IO.Path]::Combine($root, 'KubeBackup.sln')
$moduleDirectory = [System.IO.Path]::Combine($root, 'out', 'KubeBackup')

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    if (-not $NoBuild) { Invoke-Dotnet build $solution -c $Configuration --nologo }
}

# Starts the standalone emulator with the demo cluster; returns the process and its kubeconfig path.
function Start-Emulator([string] $Directory) {
    $assembly = [System.IO.Path]::Combine($root, 'tests', 'KubeApiEmulator', 'bin', $Configuration, 'net10.0', 'KubeApiEmulator.dll')
    if (-not [System.IO.File]::Exists($assembly)) { throw "The emulator is not built at $assembly. Run ./build.ps1 -Configuration $Configuration first." }
    $kubeconfig = [System.IO.Path]::Combine($Directory, 'kubeconfig')
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($assembly, '--port', '0', '--kubeconfig', $kubeconfig, '--context', 'demo',
                            '--load', [System.IO.Path]::Combine($root, 'demo', 'cluster'), '--exit-on-stdin-close')) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        if ($line -like 'KubeApiEmulator listening on *') {
            return [pscustomobject]@{ Process = $process; Kubeconfig = $kubeconfig; Url = $line.Split(' ')[-1] }
        }
    }
    throw "The emulator exited before it was ready (exit code $($process.ExitCode))."
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Docs' { Invoke-Dotnet build ([System.IO.Path]::Combine($root, 'src', 'KubeBackup', 'KubeBackup.csproj')) -c $Configuration --nologo }
    'Test' {
        $arguments = @('test', $solution, '-c', $Configuration, '--nologo')
        if ($NoBuild) { $arguments += '--no-build' }
        Invoke-Dotnet @arguments
    }
    'Package' {
        Invoke-Build
        $manifest = [System.Management.Automation.Language.Parser]::ParseFile([System.IO.Path]::Combine($root, 'KubeBackup.psd1'), [ref]$null, [ref]$null)
        $version = $manifest.Find({ $args[0] -is [System.Management.Automation.Language.HashtableAst] }, $false).SafeGetValue().ModuleVersion
        $zip = [System.IO.Path]::Combine($root, 'out', "KubeBackup.$version.zip")
        [System.IO.File]::Delete($zip)
        [System.IO.Compression.ZipFile]::CreateFromDirectory($moduleDirectory, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
        $zip
    }
    'Demo' {
        Invoke-Build
        $directory = [System.IO.Directory]::CreateTempSubdirectory('kubebackup-demo-').FullName
        $emulator = Start-Emulator $directory
        try {
            & ([System.IO.Path]::Combine($root, 'demo', 'Demo.ps1')) -Kubeconfig $emulator.Kubeconfig -WorkDirectory $directory
        }
        finally {
            $emulator.Process.StandardInput.Close()
            if (-not $emulator.Process.WaitForExit(10000)) { $emulator.Process.Kill($true) }
            [System.IO.Directory]::Delete($directory, $true)
        }
    }
}
