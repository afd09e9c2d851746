@{
    RootModule           = 'KubeBackup.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f0c9c52-52a4-4d43-9a0e-3c8e1b7b2f41'
    Author               = 'KubeBackup contributors'
    CompanyName          = 'KubeBackup'
    Copyright            = '(c) KubeBackup contributors. MIT License.'
    Description          = 'Backup, restore and disaster recovery for Kubernetes clusters, as PowerShell cmdlets.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('KubeBackup.format.ps1xml')
    CmdletsToExport      = @(
        'Get-KbContext'
        'Test-KbConnection'
        'Get-KbStorageLocation'
        'New-KbStorageLocation'
        'Set-KbStorageLocation'
        'Remove-KbStorageLocation'
        'Test-KbStorageLocation'
        'New-KbBackup'
        'Get-KbBackup'
        'Get-KbBackupItem'
        'Get-KbBackupLog'
        'Remove-KbBackup'
        'Test-KbBackup'
        'Restore-KbBackup'
        'Get-KbRestore'
        'Get-KbRestoreItem'
        'Get-KbRestoreLog'
        'Compare-KbBackup'
        'Get-KbRbacManifest'
        'New-KbVolumeSnapshot'
        'Get-KbVolumeSnapshot'
        'Remove-KbVolumeSnapshot'
        'Remove-KbExpiredSnapshot'
        'New-KbSchedule'
        'Get-KbSchedule'
        'Set-KbSchedule'
        'Remove-KbSchedule'
        'Suspend-KbSchedule'
        'Resume-KbSchedule'
        'Invoke-KbSchedule'
        'Export-KbCronJob'
        'Set-KbStandby'
        'Sync-KbStandby'
        'Invoke-KbFailover'
        'Remove-KbRestore'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Kubernetes', 'Backup', 'Restore', 'DisasterRecovery', 'Velero', 'PSEdition_Core')
            ProjectUri = 'https://github.com/kubebackup/kubebackup'
        }
    }
}
