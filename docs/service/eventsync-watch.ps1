# eventsync watch as a Windows Task Scheduler task, started at logon. See README.md, "Watch".
#
#   powershell -ExecutionPolicy Bypass -File docs\service\eventsync-watch.ps1 -Folder C:\Users\YOU\eventsync
#   Get-Content C:\Users\YOU\eventsync\watch.log -Wait        # its log
#   Stop-ScheduledTask -TaskName "eventsync watch"            # stop it
#   Unregister-ScheduledTask -TaskName "eventsync watch"      # remove it
#
# -Folder: the folder holding .env, sheets\ and .eventsync\ (where eventsync is installed
# in .venv). Output and problems go to watch.log there.
param(
    [Parameter(Mandatory = $true)][string]$Folder,
    [string]$TaskName = "eventsync watch"
)
$ErrorActionPreference = "Stop"
$Folder = (Resolve-Path $Folder).Path
$exe = Join-Path $Folder ".venv\Scripts\eventsync.exe"
if (-not (Test-Path $exe)) { throw "$exe not found: install eventsync into .venv in $Folder first" }

$action = New-ScheduledTaskAction -Execute "cmd.exe" `
    -Argument "/c `"`"$exe`" watch >> `"$Folder\watch.log`" 2>&1`"" `
    -WorkingDirectory $Folder
$trigger = New-ScheduledTaskTrigger -AtLogOn -User $env:USERNAME
# No time limit; started again a minute after it exits with an error (a setting to fix).
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) `
    -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable
Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger `
    -Settings $settings -Description "Sync the sheets folder with HubSpot as sheets are saved" -Force
Start-ScheduledTask -TaskName $TaskName
Write-Output "registered and started '$TaskName'; its log: $Folder\watch.log"
