#!/usr/bin/env bash
# Tests the packages of otelcol-logzio-aws the way an administrator meets them (run as root on Debian; `make test-package`):
#   .deb  install with dpkg, files/modes/owners, systemd-analyze verify, `validate` as the service user, conffiles kept
#         on reinstall, purge leaves nothing behind (the system user stays, on purpose)
#   .rpm  contents, modes, owners, config files and scriptlets (rpm -qp)
#   .msi  tables (msiinfo): files, service, its arguments and environment; files extracted (msiextract) match
#   .zip  contents match the staged files
#   image Dockerfile consistency and a static binary (go test), and the image's files run as uid 65532 in an empty chroot
# Usage: scripts/package-test.sh [--no-build]   (without --no-build it runs `make package` first)
# Installs msitools, rpm and unzip with apt-get when they are missing. Ends with "package-test: N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/package-lib.sh"
cd "$ROOT"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP  $*"; }
# check "description" command...: PASS when the command succeeds; its output is shown on failure.
check() {
  local description=$1 output
  shift
  if output=$("$@" 2>&1); then pass "$description"; else fail "$description"; [ -z "$output" ] || sed 's/^/      /' <<<"$output"; fi
}
summary() {
  echo "package-test: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" = 0 ]
}

if [ "${1:-}" != --no-build ]; then
  # The Makefile includes packaging.mk once the lead has added it; before that, name it explicitly.
  if grep -qE '^-?include[[:space:]]+packaging\.mk' Makefile; then make package; else make -f Makefile -f packaging.mk package; fi
fi

VERSION=$(dist_version)
DEB=$DIST_DIR/${DIST_NAME}_${VERSION}-1_amd64.deb
RPM=$DIST_DIR/${DIST_NAME}-${VERSION}-1.x86_64.rpm
MSI=$DIST_DIR/${DIST_NAME}_${VERSION}_windows_amd64.msi
ZIP=$DIST_DIR/${DIST_NAME}_${VERSION}_windows_amd64.zip
STAGE=$DIST_DIR/windows_amd64
CONFIG=distributions/$DIST_NAME/config.yaml
SERVICE_USER=$DIST_NAME
ETC=/etc/$DIST_NAME
ENV_FILE=$ETC/$DIST_NAME.env
STATE=/var/lib/$DIST_NAME
UNIT=/usr/lib/systemd/system/$DIST_NAME.service
is_root=false
[ "$(id -u)" = 0 ] && is_root=true

for artifact in "$DEB" "$RPM" "$MSI" "$ZIP" "$STAGE/$DIST_NAME.exe"; do
  [ -f "$artifact" ] || { fail "$artifact was not built (make package)"; summary; exit 1; }
done
echo "packages of $DIST_NAME $VERSION:"
ls -l "$DEB" "$RPM" "$MSI" "$ZIP" | awk '{ printf "  %6.1f MB  %s\n", $5 / 1048576, $NF }'

# --- .deb ------------------------------------------------------------------------------------------------------------
# stat_is PATH "mode owner:group": PATH exists with that octal mode and owner.
stat_is() {
  local actual
  actual=$(stat -c '%a %U:%G' "$1") || return 1
  [ "$actual" = "$2" ] || { echo "$1 is $actual, want $2"; return 1; }
}
installed() { dpkg-query -W -f='${Status}' "$DIST_NAME" 2>/dev/null | grep -q 'install ok installed'; }
deb_installed_by_test=false
# On every exit: purge the .deb this test installed, unmount the image root's /proc, remove the work directory.
cleanup() {
  if $deb_installed_by_test && installed; then dpkg --purge "$DIST_NAME" >/dev/null 2>&1 || true; fi
  if mountpoint -q "$WORK/rootfs/proc" 2>/dev/null; then umount "$WORK/rootfs/proc" || true; fi
  rm -rf --one-file-system "$WORK"
}
WORK=$(mktemp -d)
trap cleanup EXIT

test_deb() {
  if ! $is_root || ! command -v dpkg >/dev/null; then
    skip ".deb install (needs root and dpkg)"
    return
  fi
  if installed; then
    if [ "${CI:-}" != true ] && [ -z "${PACKAGE_TEST_REPLACE_INSTALLED:-}" ]; then
      fail "$DIST_NAME is already installed here: this test installs and purges it (with its config). Remove it, or set PACKAGE_TEST_REPLACE_INSTALLED=1"
      return
    fi
    dpkg --purge "$DIST_NAME" >/dev/null
  fi
  deb_installed_by_test=true
  check "dpkg -i $(basename "$DEB")" dpkg -i "$DEB"
  installed || { fail "the .deb is not installed: the remaining .deb checks are skipped"; return; }
  check "service user $SERVICE_USER is a system user without a login shell" \
    bash -c "entry=\$(getent passwd $SERVICE_USER) && uid=\$(cut -d: -f3 <<<\"\$entry\") && [ \"\$uid\" -lt 1000 ] && [[ \$(cut -d: -f7 <<<\"\$entry\") == */nologin ]]"
  check "/usr/bin/$DIST_NAME 755 root:root" stat_is "/usr/bin/$DIST_NAME" "755 root:root"
  check "$ETC/config.yaml 640 root:$SERVICE_USER" stat_is "$ETC/config.yaml" "640 root:$SERVICE_USER"
  check "$ENV_FILE 600 $SERVICE_USER:$SERVICE_USER" stat_is "$ENV_FILE" "600 $SERVICE_USER:$SERVICE_USER"
  check "$STATE 750 $SERVICE_USER:$SERVICE_USER" stat_is "$STATE" "750 $SERVICE_USER:$SERVICE_USER"
  check "$UNIT 644 root:root" stat_is "$UNIT" "644 root:root"
  check "config.yaml and the env file are conffiles" \
    bash -c "dpkg-query -W -f='\${Conffiles}' $DIST_NAME | grep -q '$ETC/config.yaml' && dpkg-query -W -f='\${Conffiles}' $DIST_NAME | grep -q '$ENV_FILE'"
  check "the installed config.yaml is the distribution's" cmp "$CONFIG" "$ETC/config.yaml"
  check "other users cannot read the env file" bash -c "! runuser -u nobody -- cat $ENV_FILE"

  if command -v systemd-analyze >/dev/null; then
    # verify exits 0 on unknown keys and bad values: any message is a failure.
    check "systemd-analyze verify $UNIT (no warnings)" bash -c "out=\$(systemd-analyze verify $UNIT 2>&1); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
  else
    skip "systemd-analyze verify: systemd-analyze is not installed (apt-get install systemd)"
  fi

  # What the unit runs, as the user it runs as, with the environment it reads.
  check "$DIST_NAME validate --config $ETC/config.yaml as $SERVICE_USER with the env file" \
    runuser -u "$SERVICE_USER" -- sh -c "set -a; . $ENV_FILE; set +a; exec /usr/bin/$DIST_NAME validate --config $ETC/config.yaml --feature-gates=extension.healthcheck.useComponentStatus"

  # An upgrade (here: reinstall) keeps the administrator's settings and the env file's owner and mode.
  echo "CLOUDTRAIL_BUCKET=package-test-bucket" >>"$ENV_FILE"
  check "reinstall keeps an edited env file" \
    bash -c "dpkg -i --force-confold '$DEB' >/dev/null && grep -qx 'CLOUDTRAIL_BUCKET=package-test-bucket' $ENV_FILE"
  check "reinstall keeps the env file 600 $SERVICE_USER:$SERVICE_USER" stat_is "$ENV_FILE" "600 $SERVICE_USER:$SERVICE_USER"

  local files
  files=$(dpkg -L "$DIST_NAME" | grep -E "$DIST_NAME")
  touch "$STATE/state-written-by-the-service"
  check "dpkg --purge $DIST_NAME" dpkg --purge "$DIST_NAME"
  check "purge leaves none of the package's files, config or state behind" \
    bash -c "left=\$(for f in $(tr '\n' ' ' <<<"$files") $ETC $STATE; do [ ! -e \"\$f\" ] || echo \"\$f\"; done); [ -z \"\$left\" ] || { echo \"left behind: \$left\"; exit 1; }"
  if getent passwd "$SERVICE_USER" >/dev/null; then
    echo "      (the system user $SERVICE_USER stays after purge, on purpose: see the packaging README)"
  fi
}

# --- .rpm ------------------------------------------------------------------------------------------------------------
test_rpm() {
  if ! need_command rpm rpm >/dev/null 2>&1; then
    skip ".rpm checks: rpm is not installed and cannot be (apt-get install rpm)"
    return
  fi
  local listing
  listing=$(rpm -qplv "$RPM" 2>/dev/null)
  check "rpm version is $VERSION-1" bash -c "[ \"\$(rpm -qp --qf '%{VERSION}-%{RELEASE}' '$RPM' 2>/dev/null)\" = '$VERSION-1' ]"
  for entry in "-rwxr-xr-x root root /usr/bin/$DIST_NAME" "-rw-r----- root $SERVICE_USER $ETC/config.yaml" \
    "-rw------- $SERVICE_USER $SERVICE_USER $ENV_FILE" "-rw-r--r-- root root $UNIT" "drwxr-x--- $SERVICE_USER $SERVICE_USER $STATE"; do
    read -r mode owner group path <<<"$entry"
    check "rpm has $path $mode $owner:$group" \
      awk -v mode="$mode" -v owner="$owner" -v group="$group" -v path="$path" \
      '$1 == mode && substr(owner, 1, 8) == $3 && substr(group, 1, 8) == $4 && $NF == path { found = 1 } END { exit !found }' <<<"$listing"
  done
  check "rpm marks config.yaml and the env file %config(noreplace)" \
    bash -c "[ \"\$(rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' '$RPM' 2>/dev/null | grep -c '^$ETC/.* cn')\" = 2 ]"
  check "rpm scriptlets create the user and stop the service on erase" \
    bash -c "s=\$(rpm -qp --scripts '$RPM' 2>/dev/null); grep -q useradd <<<\"\$s\" && grep -q 'systemctl stop' <<<\"\$s\""
}

# --- .msi ------------------------------------------------------------------------------------------------------------
test_msi() {
  if ! need_command msiinfo msitools >/dev/null 2>&1; then
    fail ".msi checks: msiinfo is missing and could not be installed (apt-get install msitools)"
    return
  fi
  # msiinfo export writes CRLF lines under a 3-line header (names, types, table).
  local table exe_size
  mkdir -p "$WORK/msi-tables"
  for table in File Directory Component ServiceInstall ServiceControl Registry Property; do
    msiinfo export "$MSI" "$table" | tr -d '\r' | tail -n +4 >"$WORK/msi-tables/$table"
  done
  cd "$WORK/msi-tables"
  exe_size=$(stat -c %s "$STAGE/$DIST_NAME.exe")
  check "the .exe is a static windows/amd64 Go binary" \
    bash -c "info=\$(go version -m '$STAGE/$DIST_NAME.exe') && grep -q 'GOOS=windows' <<<\"\$info\" && grep -q 'GOARCH=amd64' <<<\"\$info\" && grep -q 'CGO_ENABLED=0' <<<\"\$info\""
  # ocb's main_windows.go hands the collector to the Service Control Manager (svc.Run + otelcol's service handler).
  check "the .exe has the collector's Windows service handler" \
    grep -aqF 'go.opentelemetry.io/collector/otelcol.(*windowsService).Execute' "$STAGE/$DIST_NAME.exe"
  check "msi File table: $DIST_NAME.exe ($exe_size bytes) and config.yaml" \
    bash -c "grep -qP '\t$DIST_NAME.exe\t$exe_size\t' File && grep -qP '\tconfig.yaml\t' File"
  check "msi Directory table: the exe under ProgramFiles64Folder, config and storage under CommonAppDataFolder" \
    bash -c "grep -qP '^INSTALLDIR\tProgramFiles64Folder\t$DIST_NAME$' Directory && grep -qP '^DATADIR\tCommonAppDataFolder\t$DIST_NAME$' Directory && grep -qP '^STORAGEDIR\tDATADIR\tstorage$' Directory"
  check "msi Component table: exe, service and storage registered; config.yaml unregistered (never removed)" \
    bash -c "grep -qP '^CollectorExe\t\{[0-9A-F-]{36}\}\tINSTALLDIR\t' Component && grep -qP '^StorageDir\t\{[0-9A-F-]{36}\}\tSTORAGEDIR\t' Component && grep -qP '^CollectorConfig\t\tDATADIR\t' Component"
  check "msi ServiceInstall: service $DIST_NAME, own process (16), manual start (3), --config in ProgramData, the health feature gate" \
    grep -qF -- "$(printf 'CollectorService\t%s\t%s\t16\t3\t1\t\t\t\t\t--config "[CommonAppDataFolder]%s\\config.yaml" --feature-gates=extension.healthcheck.useComponentStatus\tCollectorExe\t' "$DIST_NAME" "$DIST_NAME" "$DIST_NAME")" ServiceInstall
  check "msi ServiceControl: stop on install and uninstall, delete on uninstall (162)" \
    grep -qP "^CollectorServiceControl\t$DIST_NAME\t162\t" ServiceControl
  check "msi Registry: the service's environment sets STORAGE_DIR under ProgramData" \
    grep -qP "^\\w+\\t2\\tSYSTEM\\\\CurrentControlSet\\\\Services\\\\$DIST_NAME\\tEnvironment\\t\\[~\\]STORAGE_DIR=\\[CommonAppDataFolder\\]$DIST_NAME\\\\storage\\tCollectorExe$" Registry
  check "msi Registry: event log source $DIST_NAME" \
    grep -qP "^\\w+\\t2\\tSYSTEM\\\\CurrentControlSet\\\\Services\\\\EventLog\\\\Application\\\\$DIST_NAME\\tEventMessageFile\\t" Registry
  check "msi ProductVersion is $VERSION" grep -qxP "ProductVersion\t$VERSION" Property
  cd "$ROOT"
  if command -v msiextract >/dev/null; then
    mkdir -p "$WORK/msi"
    check "files extracted from the msi are the built exe and the distribution's config" \
      bash -c "msiextract -C '$WORK/msi' '$MSI' >/dev/null && cmp \"\$(find '$WORK/msi' -name $DIST_NAME.exe)\" '$STAGE/$DIST_NAME.exe' && cmp \"\$(find '$WORK/msi' -name config.yaml)\" '$CONFIG'"
  else
    skip "msiextract is not installed: the msi's files are not compared"
  fi
}

# --- .zip ------------------------------------------------------------------------------------------------------------
test_zip() {
  if ! need_command unzip unzip >/dev/null 2>&1; then
    fail ".zip checks: unzip is missing and could not be installed (apt-get install unzip)"
    return
  fi
  check "zip holds exactly $DIST_NAME.exe, config.yaml and README.txt" \
    bash -c "[ \"\$(unzip -Z1 '$ZIP' | sort | tr '\n' ' ')\" = 'README.txt config.yaml $DIST_NAME.exe ' ]"
  check "zip's exe and config.yaml are the built ones" \
    bash -c "cmp <(unzip -p '$ZIP' $DIST_NAME.exe) '$STAGE/$DIST_NAME.exe' && cmp <(unzip -p '$ZIP' config.yaml) '$CONFIG'"
}

# --- container image -------------------------------------------------------------------------------------------------
# Instructions of the Dockerfile, continuation lines joined, comments dropped.
dockerfile_instructions() {
  awk '/^[[:space:]]*#/ && !cont { next } { line = cont ? line " " $0 : $0 } /\\$/ { sub(/\\$/, "", line); cont = 1; next }
       { cont = 0; if (line ~ /[^[:space:]]/) print line; line = "" }' "distributions/$DIST_NAME/Dockerfile"
}
test_image() {
  check "go test ./distributions/$DIST_NAME/packaging/ (packaged files, Dockerfile, static binary)" \
    env PACKAGING_REQUIRE_BINARY=1 go test -count=1 "./distributions/$DIST_NAME/packaging/"
  if ! $is_root; then
    skip "image file system run as uid 65532 (needs root for chroot)"
    return
  fi
  # The image's file system without Docker: its COPYs into an empty root, then its ENTRYPOINT + `validate` run there as
  # the image's user, with its ENV. No libc, no shell, no /etc/passwd: what distroless/static adds is not needed to start.
  local rootfs=$WORK/rootfs user="" entrypoint="" envs=()
  mkdir -p "$rootfs"
  while read -r keyword rest; do
    case $keyword in
    COPY)
      read -r -a words <<<"$rest"
      local chown="" src dst
      while [[ ${words[0]} == --* ]]; do [[ ${words[0]} == --chown=* ]] && chown=${words[0]#--chown=}; words=("${words[@]:1}"); done
      src=${words[0]} dst=${words[1]}
      mkdir -p "$rootfs$(dirname "$dst")"
      if [ -d "$src" ]; then mkdir -p "$rootfs$dst" && cp -a "$src/." "$rootfs$dst"; else cp -a "$src" "$rootfs$dst"; fi
      [ -z "$chown" ] || chown -R "$chown" "$rootfs$dst"
      ;;
    ENV) read -r -a words <<<"$rest"; envs+=("${words[@]}") ;;
    USER) user=$rest ;;
    ENTRYPOINT) entrypoint=$rest ;;
    esac
  done < <(dockerfile_instructions)
  local -a command
  # ENTRYPOINT ["a", "b", ...]: exec form, arguments without commas or quotes.
  mapfile -t command < <(tr -d '[]"' <<<"$entrypoint" | tr ',' '\n' | sed 's/^ *//; s/ *$//')
  # The container runtime mounts /proc (memory_limiter reads the cgroup limits through it).
  mkdir -p "$rootfs/proc"
  if mount --bind /proc "$rootfs/proc" 2>/dev/null; then
    check "image: ${command[*]} validate, as $user in a root holding only the COPYs and /proc" \
      env -i "${envs[@]}" "$(command -v chroot)" --userspec="$user" "$rootfs" "${command[@]}" validate
    umount "$rootfs/proc"
  else
    skip "image: validate in a chroot (cannot bind-mount /proc here)"
  fi
  check "image: STORAGE_DIR is writable by $user" \
    bash -c "dir=\$(printf '%s\n' ${envs[*]} | sed -n 's/^STORAGE_DIR=//p'); [ -n \"\$dir\" ] && [ \"\$(stat -c '%u:%g' '$rootfs'\"\$dir\")\" = '$user' ]"
}

test_deb
test_rpm
test_msi
test_zip
test_image
summary
