# Builds the Windows installer: PyInstaller folder, then Inno Setup.
# Needs Python 3.10+ and Inno Setup 6 (iscc.exe on PATH, or in the default location).
# Run from the repository root:  powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv)) { py -3 -m venv .venv }
.\.venv\Scripts\python -m pip install --upgrade pip
.\.venv\Scripts\python -m pip install -e ".[package]" pillow
$version = .\.venv\Scripts\python -c "import realtime_gui; print(realtime_gui.__version__)"

# The .ico is made from the committed PNGs (Pillow writes all sizes into one file).
.\.venv\Scripts\python -c "from PIL import Image; Image.open('realtime_gui/resources/icons/realtime-gui-256.png').save('packaging/windows/realtime-gui.ico', sizes=[(16,16),(24,24),(32,32),(48,48),(64,64),(128,128),(256,256)])"

.\.venv\Scripts\python -m PyInstaller --noconfirm --distpath build\dist --workpath build\work packaging\realtime-gui.spec

# Smoke test before wrapping it up: the console twin must self-test.
& build\dist\realtime-gui\realtime-gui-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "packaged self-test failed" }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\realtime-gui.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "Installer in dist\"
