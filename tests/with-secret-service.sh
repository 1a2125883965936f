#!/usr/bin/env bash
# Runs a command against the real Secret Service: a private D-Bus session, a throwaway
# HOME, and a GNOME Keyring unlocked with a throwaway password. Nothing touches the
# user's own keyring. Without gnome-keyring/dbus it says loudly that it skipped, or fails
# when REQUIRE_SECRET_SERVICE=1.
set -euo pipefail

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  if [ "${REQUIRE_SECRET_SERVICE:-0}" = "1" ]; then
    echo "ERROR: REQUIRE_SECRET_SERVICE=1 but gnome-keyring-daemon or dbus-run-session is missing." >&2
    echo "       On Debian/Ubuntu: sudo apt-get install gnome-keyring dbus" >&2
    exit 1
  fi
  cat >&2 <<'MSG'

########################################################################
#  SKIPPED: the Secret Service keyring tests did not run.              #
#  gnome-keyring-daemon and dbus-run-session are needed for them       #
#  (Debian/Ubuntu: sudo apt-get install gnome-keyring dbus).           #
#  Set REQUIRE_SECRET_SERVICE=1 to make this an error.                 #
########################################################################

MSG
  exit 0
fi

if [ -z "${RTG_INSIDE_PRIVATE_DBUS:-}" ]; then
  export RTG_INSIDE_PRIVATE_DBUS=1
  exec dbus-run-session -- "$0" "$@"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the password on stdin and creates the login keyring with it.
password="throwaway-$$-$RANDOM"
eval "$(printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets)"
unset password
export GNOME_KEYRING_CONTROL
export REALTIME_GUI_SECRET_SERVICE=1
export PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring
"$@"
