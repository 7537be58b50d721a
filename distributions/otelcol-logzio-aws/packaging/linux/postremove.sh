#!/bin/sh
# Runs after the files are removed (deb: postrm remove|purge|upgrade...; rpm: %postun 0|1).
# deb purge also deletes the state directory (receiver positions, queued data) and the config directory; a plain remove
# and an rpm erase keep them, so that a reinstall carries on where it stopped. The system user is never deleted: files
# it owned (backups, moved state directories) would otherwise end up owned by a recycled id.
set -e

case "$1" in
purge)
  rm -rf /var/lib/otelcol-logzio-aws
  rm -rf /etc/otelcol-logzio-aws
  ;;
esac

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
