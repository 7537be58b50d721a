# Shared by scripts/package-*.sh (sourced, not run): names and versions of the distribution's packages.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST_NAME=otelcol-logzio-aws
DIST_DIR=${DIST_DIR:-$ROOT/dist}
PACKAGING_DIR=$ROOT/distributions/$DIST_NAME/packaging
LINUX_BINARY=$ROOT/bin/$DIST_NAME
BUILD_DIR=$ROOT/build/$DIST_NAME

# dist.version of the ocb manifest: the one version of the binary, the packages and the image.
dist_version() {
  local version
  version=$(awk '/^dist:/ { in_dist = 1; next } /^[^ #]/ { in_dist = 0 } in_dist && $1 == "version:" { print $2; exit }' \
    "$ROOT/builder-config.yaml")
  if [ -z "$version" ]; then
    echo "no dist.version in $ROOT/builder-config.yaml: the packages take their version from it" >&2
    return 1
  fi
  echo "$version"
}

# Installs a Debian package when one of its commands is missing (root only), or says how to.
need_command() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $package (for $command) with apt-get"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
    fi
    command -v "$command" >/dev/null 2>&1 && return 0
  fi
  echo "$command is missing: install it with apt-get install --no-install-recommends $package" >&2
  return 1
}
