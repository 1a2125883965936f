#!/usr/bin/env bash
# Builds the Linux artifacts from the PyInstaller folder:
#   dist/realtime-gui-VERSION-linux-ARCH.tar.gz  the app folder, run ./realtime-gui/realtime-gui
#   dist/realtime-gui_VERSION_DEBARCH.deb        /usr/lib/realtime-gui + /usr/bin launcher + desktop files
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

# Make the folder what a package should hold. Shared libraries need no execute bit. A
# RUNPATH that points outside the folder (a pyenv or /usr/local Python's lib directory,
# baked in at its build) would make the loader search the build machine's path on the
# user's machine: remove it. The bootloader loads libpython itself, and Qt's own $ORIGIN
# paths stay.
app=build/dist/realtime-gui
find "$app" -type f -name '*.so*' -exec chmod 0644 {} +
while IFS= read -r -d '' elf; do
  runpath=$(readelf -d "$elf" 2>/dev/null | sed -n 's/.*(R\(UN\)\?PATH).*\[\(.*\)\]/\2/p')
  if [ -n "$runpath" ] && [ "${runpath#\$ORIGIN}" = "$runpath" ]; then
    command -v patchelf >/dev/null || {
      echo "error: $elf has RUNPATH $runpath; install patchelf (apt-get install patchelf)" >&2
      exit 1
    }
    patchelf --remove-rpath "$elf"
  fi
done < <(find "$app" -type f -name '*.so*' -print0)
# Symlinks to libraries the spec left out would dangle.
find "$app" -xtype l -delete

tarball="dist/realtime-gui-$VERSION-linux-$ARCH.tar.gz"
tar -C build/dist -cf - realtime-gui | gzip -9 > "$tarball"

# The .deb: the folder under /usr/lib/realtime-gui (an app's private files, as Debian
# policy wants them), a launcher on the PATH, the menu entry, icons, AppStream metadata,
# the copyright file, changelog, man page and the lintian overrides (packaging/linux/).
root=build/deb
lib=/usr/lib/realtime-gui
doc=$root/usr/share/doc/realtime-gui
install -d "$root/usr/lib" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor/scalable/apps" "$root/DEBIAN" \
  "$doc" "$root/usr/share/man/man1" "$root/usr/share/lintian/overrides"
cp -a "$app" "$root$lib"
# A wrapper, not a symlink: the PyInstaller bootloader finds _internal/ next to itself.
printf '#!/bin/sh\nexec %s/realtime-gui "$@"\n' "$lib" > "$root/usr/bin/realtime-gui"
chmod 0755 "$root/usr/bin/realtime-gui"
install -m 0644 resources/realtime-gui.desktop "$root/usr/share/applications/"
install -m 0644 resources/io.github.realtime_gui.metainfo.xml "$root/usr/share/metainfo/"
install -m 0644 realtime_gui/resources/icons/realtime-gui.svg "$root/usr/share/icons/hicolor/scalable/apps/"
for png in realtime_gui/resources/icons/realtime-gui-*.png; do
  size=${png##*-}; size=${size%.png}
  install -d "$root/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 0644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/realtime-gui.png"
done
install -m 0644 packaging/linux/copyright "$doc/copyright"
gzip -9n < packaging/linux/changelog > "$doc/changelog.gz"
gzip -9n < packaging/linux/realtime-gui.1 > "$root/usr/share/man/man1/realtime-gui.1.gz"
install -m 0644 packaging/linux/lintian-overrides "$root/usr/share/lintian/overrides/realtime-gui"
chmod 0644 "$doc/changelog.gz" "$root/usr/share/man/man1/realtime-gui.1.gz"
installed_kb=$(du -sk "$root/usr" | awk '{print $1}')
# Depends: the Debian packages that provide what the bundle needs and does not carry (the
# spec leaves the desktop's own libraries to the system), found the way the loader finds
# them on this build machine; plus what Qt opens with dlopen (libdbus-1, EGL).
needed=$(find "$app" -type f \( -name '*.so*' -o -name realtime-gui \) -exec readelf -d {} + 2>/dev/null \
  | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
packages="libdbus-1-3 libegl1"
for so in $needed; do
  [ -n "$(find "$app" -name "$so" -print -quit)" ] && continue
  # awk reads to the end: an early exit would kill ldconfig with SIGPIPE under pipefail.
  path=$(ldconfig -p | awk -v so="$so" '$1 == so && !found {print $NF; found = 1}')
  [ -n "$path" ] || { echo "error: $so is needed but neither bundled nor installed" >&2; exit 1; }
  real=$(readlink -f "$path")
  pkg=$( (dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null) | sed -n '1s/:.*//p')
  [ -n "$pkg" ] || { echo "error: no Debian package provides $real ($so)" >&2; exit 1; }
  packages="$packages $pkg"
done
depends="libc6 (>= 2.36)"
for pkg in $(printf '%s\n' $packages | grep -vx libc6 | sort -u); do
  depends="$depends, $pkg"
done
cat > "$root/DEBIAN/control" <<CONTROL
Package: realtime-gui
Version: $VERSION
Architecture: $DEBARCH
Maintainer: realtime-gui developers <realtime-gui@users.noreply.github.com>
Installed-Size: $installed_kb
Depends: $depends
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
# No maintainer scripts: the desktop and icon caches are refreshed by the dpkg file triggers
# of desktop-file-utils and the icon cache tools, so removal leaves nothing behind.
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k 2) > "$root/DEBIAN/md5sums"
deb="dist/realtime-gui_${VERSION}_${DEBARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

ls -l "$tarball" "$deb" | awk '{printf "%s  %.1f MB\n", $NF, $5/1048576}'
