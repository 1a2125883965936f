; Inno Setup 6 script for realtime-gui on Windows (per-user install, no admin rights).
; Built by packaging\windows\build.ps1 after PyInstaller has produced build\dist\realtime-gui\.
#define AppName "realtime-gui"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define DistDir "..\..\build\dist\realtime-gui"

[Setup]
AppId={{6F0E3C52-7D55-4C1B-9A0B-3E2B5C0F4A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=realtime-gui developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=realtime-gui-{#AppVersion}-windows-x64-setup
SetupIconFile=realtime-gui.ico
UninstallDisplayIcon={app}\realtime-gui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add realtime-gui-cli to PATH (for scripts)"; Flags: unchecked

[Files]
Source: "{#DistDir}\realtime-gui.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#DistDir}\realtime-gui-cli.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#DistDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\realtime-gui.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\realtime-gui.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\realtime-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;
