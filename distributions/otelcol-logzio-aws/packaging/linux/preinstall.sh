#!/bin/sh
# Runs before the package's files are unpacked (deb: preinst install|upgrade; rpm: %pre 1|2).
# Creates the unprivileged system user and group the service runs as, so that the files can be owned by them.
set -e

SERVICE_USER=otelcol-logzio-aws
STATE_DIR=/var/lib/otelcol-logzio-aws

nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/sbin/nologin

if ! getent group "$SERVICE_USER" >/dev/null 2>&1; then
  groupadd --system "$SERVICE_USER"
fi
if ! getent passwd "$SERVICE_USER" >/dev/null 2>&1; then
  useradd --system --gid "$SERVICE_USER" --home-dir "$STATE_DIR" --no-create-home --shell "$nologin" \
    --comment "otelcol-logzio-aws service" "$SERVICE_USER"
fi
exit 0
