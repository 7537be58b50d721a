#!/bin/sh
# Runs before the files are removed (deb: prerm remove|upgrade|deconfigure...; rpm: %preun 0|1).
# On removal (not on upgrade) stops and disables the service. Never fails where systemd is not running.
set -e

SERVICE=otelcol-logzio-aws

case "$1" in
remove | 0) ;;
*) exit 0 ;; # upgrade: the new package's postinstall restarts the service
esac

if command -v systemctl >/dev/null 2>&1; then
  if [ -d /run/systemd/system ]; then
    systemctl stop "$SERVICE.service" >/dev/null 2>&1 || true
  fi
  # disable also works offline: it removes the wants/ links `systemctl enable` made.
  systemctl disable "$SERVICE.service" >/dev/null 2>&1 || true
fi
exit 0
