#!/usr/bin/env bash
# Builds the Linux artifacts from the PyInstaller folder:
#   dist/realtime-gui-VERSION-linux-ARCH.tar.gz  the app folder, run ./realtime-gui/realtime-gui
#   dist/realtime-gui_VERSION_DEBARCH.deb        /opt/realtime-gui + /usr/bin launcher + desktop files
# Usage: packaging/build-linux.sh PYTHON   (the venv's python, with pyinstaller installed)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-.venv/bin/python}
VERSION=$("$PY" -c 'import realtime_gui; print(realtime_gui.__version__)')
ARCH=$(uname -m)
DEBARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)

rm -rf build/dist build/deb
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath build/dist --workpath build/work packaging/realtime-gui.spec
mkdir -p dist

tarball="dist/realtime-gui-$VERSION-linux-$ARCH.tar.gz"
tar -C build/dist -cf - realtime-gui | gzip -9 > "$tarball"

root=build/deb
install -d "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor/scalable/apps" "$root/DEBIAN"
cp -a build/dist/realtime-gui "$root/opt/realtime-gui"
# A wrapper, not a symlink: the PyInstaller bootloader finds _internal/ next to itself.
cat > "$root/usr/bin/realtime-gui" <<'LAUNCHER'
#!/bin/sh
exec /opt/realtime-gui/realtime-gui "$@"
LAUNCHER
chmod 0755 "$root/usr/bin/realtime-gui"
install -m 0644 resources/realtime-gui.desktop "$root/usr/share/applications/"
install -m 0644 resources/io.github.realtime_gui.metainfo.xml "$root/usr/share/metainfo/"
install -m 0644 realtime_gui/resources/icons/realtime-gui.svg "$root/usr/share/icons/hicolor/scalable/apps/"
for png in realtime_gui/resources/icons/realtime-gui-*.png; do
  size=${png##*-}; size=${size%.png}
  install -d "$root/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 0644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/realtime-gui.png"
done
installed_kb=$(du -sk "$root/opt" "$root/usr" | awk '{s+=$1} END {print s}')
cat > "$root/DEBIAN/control" <<CONTROL
Package: realtime-gui
Version: $VERSION
Architecture: $DEBARCH
Maintainer: realtime-gui developers <noreply@invalid>
Installed-Size: $installed_kb
Depends: libc6 (>= 2.31), libfontconfig1, libfreetype6, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxkbcommon0, libxkbcommon-x11-0, libegl1, libgl1, libdbus-1-3, libglib2.0-0
Recommends: gnome-keyring | kwalletmanager | keepassxc
Section: devel
Priority: optional
Homepage: https://platform.openai.com/docs/guides/realtime
Description: mint short-lived OpenAI Realtime client secrets
 realtime-gui mints client secrets (ephemeral keys) for the OpenAI Realtime API
 from a window or the command line, keeping the API key in the OS keyring.
 It speaks the GA client_secrets endpoint and, on request, the Beta sessions
 endpoint used by Azure preview deployments and compatible servers.
CONTROL
# Refresh the desktop and icon caches where the tools exist; never fail an install on them.
cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
POSTINST
chmod 0755 "$root/DEBIAN/postinst"
deb="dist/realtime-gui_${VERSION}_${DEBARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

ls -l "$tarball" "$deb" | awk '{printf "%s  %.1f MB\n", $NF, $5/1048576}'
