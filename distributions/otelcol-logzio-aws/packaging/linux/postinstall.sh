#!/bin/sh
# Runs after the files are in place (deb: postinst configure [old-version]; rpm: %post 1|2).
# Fixes the owners of the secrets file and the state directory, then tells systemd about the unit. The service is neither
# enabled nor started on a first install (it needs a bucket and a token first, see the env file); an upgrade restarts it
# if it was running. Never fails where systemd is not running (containers, chroots, build machines).
set -e

SERVICE=otelcol-logzio-aws
SERVICE_USER=otelcol-logzio-aws
ENV_FILE=/etc/otelcol-logzio-aws/otelcol-logzio-aws.env
STATE_DIR=/var/lib/otelcol-logzio-aws

# deb: configure [previous version]; rpm: the number of versions installed once this one is (1: first install).
upgrade=false
case "$1" in
configure) [ -z "$2" ] || upgrade=true ;;
[1-9]*) [ "$1" -lt 2 ] || upgrade=true ;;
*) exit 0 ;; # deb: abort-upgrade, abort-remove...: nothing was changed
esac

# The env file holds tokens: readable by the service user only. Kept as the administrator left it on upgrades, except for
# its owner and mode, which must stay right.
if [ -f "$ENV_FILE" ]; then
  chown "$SERVICE_USER:$SERVICE_USER" "$ENV_FILE"
  chmod 0600 "$ENV_FILE"
fi
mkdir -p "$STATE_DIR"
chown "$SERVICE_USER:$SERVICE_USER" "$STATE_DIR"
chmod 0750 "$STATE_DIR"

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload || true
  if $upgrade; then
    systemctl try-restart "$SERVICE.service" || true
  fi
fi

if ! $upgrade; then
  echo "otelcol-logzio-aws installed. Set CLOUDTRAIL_BUCKET, LOGZIO_REGION and LOGZIO_LOGS_TOKEN in $ENV_FILE, then:"
  echo "  systemctl enable --now $SERVICE"
fi
exit 0
