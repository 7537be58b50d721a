#!/usr/bin/env bash
# Builds dist/otelcol-logzio-aws_<version>_<arch>.deb and dist/otelcol-logzio-aws-<version>-1.<arch>.rpm from
# bin/otelcol-logzio-aws (`make build`) with nfpm (bin/nfpm, `make package-linux` installs it).
# Package layout and maintainer scripts: distributions/otelcol-logzio-aws/packaging/ (nfpm.yaml, linux/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/package-lib.sh"
NFPM=${NFPM:-$ROOT/bin/nfpm}

[ -x "$LINUX_BINARY" ] || { echo "$LINUX_BINARY is missing: run make build first" >&2; exit 1; }
[ -x "$NFPM" ] || { echo "$NFPM is missing: make package-linux installs it (or set NFPM=/path/to/nfpm)" >&2; exit 1; }

VERSION=$(dist_version)
ARCH=$(go version -m "$LINUX_BINARY" | awk '$1 == "build" && $2 ~ /^GOARCH=/ { sub(/^GOARCH=/, "", $2); print $2 }')
ARCH=${ARCH:-amd64}
export VERSION ARCH

mkdir -p "$DIST_DIR"
cd "$ROOT"
for packager in deb rpm; do
  "$NFPM" package --config "$PACKAGING_DIR/nfpm.yaml" --packager "$packager" --target "$DIST_DIR/" >/dev/null
done
ls -1 "$DIST_DIR"/"$DIST_NAME"*"$VERSION"*.{deb,rpm}
