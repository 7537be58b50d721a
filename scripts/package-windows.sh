#!/usr/bin/env bash
# Builds the Windows packages of otelcol-logzio-aws into dist/:
#   dist/windows_amd64/otelcol-logzio-aws.exe            cross-compiled from the ocb sources in build/ (`make build`)
#   dist/otelcol-logzio-aws_<version>_windows_amd64.msi   wixl (apt: wixl), installs the exe, config and the service
#   dist/otelcol-logzio-aws_<version>_windows_amd64.zip   the exe, config.yaml and README.txt, for a manual install
# The installer's source is distributions/otelcol-logzio-aws/packaging/windows/otelcol-logzio-aws.wxs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/package-lib.sh"
# The Makefile passes the toolchain it builds the distribution with (the machine's own Go by default).
DIST_GOTOOLCHAIN=${DIST_GOTOOLCHAIN:-local}
GOARCH=amd64

[ -f "$BUILD_DIR/main_windows.go" ] || { echo "$BUILD_DIR has no ocb sources: run make build first" >&2; exit 1; }
need_command wixl wixl
need_command zip zip

VERSION=$(dist_version)
STAGE=$DIST_DIR/windows_$GOARCH
BASENAME=${DIST_NAME}_${VERSION}_windows_$GOARCH
mkdir -p "$STAGE"

# Same flags as ocb's Linux build: static, stripped, reproducible paths.
(cd "$BUILD_DIR" && GOOS=windows GOARCH=$GOARCH CGO_ENABLED=0 GOTOOLCHAIN=$DIST_GOTOOLCHAIN GOFLAGS=-buildvcs=false \
  go build -trimpath -ldflags='-s -w' -o "$STAGE/$DIST_NAME.exe" .)
cp "$ROOT/distributions/$DIST_NAME/config.yaml" "$STAGE/config.yaml"
cp "$PACKAGING_DIR/windows/README.txt" "$STAGE/README.txt"

# wixl reads the File sources relative to the working directory.
rm -f "$DIST_DIR/$BASENAME.msi" "$DIST_DIR/$BASENAME.zip"
(cd "$STAGE" && wixl --arch x64 --define "Version=$VERSION" --output "$DIST_DIR/$BASENAME.msi" \
  "$PACKAGING_DIR/windows/$DIST_NAME.wxs")
# -X: no Unix owners/times extras; -j: flat, the three files at the root of the archive.
(cd "$STAGE" && zip -q -X -j "$DIST_DIR/$BASENAME.zip" "$DIST_NAME.exe" config.yaml README.txt)
ls -1 "$STAGE/$DIST_NAME.exe" "$DIST_DIR/$BASENAME.msi" "$DIST_DIR/$BASENAME.zip"
