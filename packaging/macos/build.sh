#!/usr/bin/env bash
# Builds dist/realtime-gui-VERSION-macos.dmg: the PyInstaller .app, signed, in a disk image.
# Needs macOS with Python 3.10+ and the Xcode command line tools (iconutil, codesign, hdiutil).
# Optional: CODESIGN_IDENTITY="Developer ID Application: Name (TEAMID)" to sign, and
# NOTARY_PROFILE=<notarytool keychain profile> to notarize. See packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -d .venv ] || python3 -m venv .venv
.venv/bin/python -m pip install --upgrade pip
.venv/bin/python -m pip install -e '.[package]'
VERSION=$(.venv/bin/python -c 'import realtime_gui; print(realtime_gui.__version__)')

# The .icns comes from the committed PNGs.
iconset=build/realtime-gui.iconset
rm -rf "$iconset" && mkdir -p "$iconset"
for size in 16 32 128 256 512; do
  cp "realtime_gui/resources/icons/realtime-gui-$size.png" "$iconset/icon_${size}x${size}.png"
done
cp realtime_gui/resources/icons/realtime-gui-32.png "$iconset/icon_16x16@2x.png"
cp realtime_gui/resources/icons/realtime-gui-64.png "$iconset/icon_32x32@2x.png"
cp realtime_gui/resources/icons/realtime-gui-256.png "$iconset/icon_128x128@2x.png"
cp realtime_gui/resources/icons/realtime-gui-512.png "$iconset/icon_256x256@2x.png"
iconutil -c icns "$iconset" -o packaging/macos/realtime-gui.icns

.venv/bin/python -m PyInstaller --noconfirm --distpath build/dist --workpath build/work \
  packaging/realtime-gui.spec
app=build/dist/realtime-gui.app
"$app/Contents/MacOS/realtime-gui" --self-test

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  # Sign with the same identity every release: the Keychain ties its "Always Allow" to
  # the app's designated requirement, so a new identity means new password prompts.
  codesign --force --deep --options runtime --timestamp \
    --entitlements packaging/macos/entitlements.plist \
    --sign "$CODESIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
fi

mkdir -p dist
dmg="dist/realtime-gui-$VERSION-macos-$(uname -m).dmg"
rm -f "$dmg"
staging=build/dmg && rm -rf "$staging" && mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "realtime-gui $VERSION" -srcfolder "$staging" -ov -format UDZO "$dmg"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --sign "$CODESIGN_IDENTITY" --timestamp "$dmg"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
  fi
fi
echo "Disk image: $dmg"
