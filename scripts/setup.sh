#!/usr/bin/env bash
# Installs what cortex-vae needs on a fresh Debian 12 machine with Node 20: npm packages, and
# Mesa's lavapipe (CPU Vulkan driver, 25.x from bookworm-backports; the 22.x in bookworm lacks a
# feature Dawn needs) when no Vulkan driver is present, plus Chromium for the report test when
# asked (--with-chromium). Packages come only from the machine's configured Debian mirror.
# --dry-run prints what would be done and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
with_chromium=0
dry_run=0
for a in "$@"; do
  case "$a" in
    --with-chromium) with_chromium=1 ;;
    --dry-run) dry_run=1 ;;
    *) echo "setup: unknown option '$a' (options: --with-chromium, --dry-run)" >&2; exit 2 ;;
  esac
done

# Where APT's configuration and the Vulkan drivers' manifests live (overridable for tests).
apt_etc="${CORTEX_VAE_APT_ETC:-/etc/apt}"
icd_dirs="${CORTEX_VAE_VULKAN_ICD_DIRS:-/usr/share/vulkan/icd.d /etc/vulkan/icd.d}"

run() { if [ $dry_run = 1 ]; then echo "would run: $*"; elif [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

have_vulkan_icd() { for d in $icd_dirs; do ls "$d"/*.json >/dev/null 2>&1 && return 0; done; return 1; }

backports_configured() { grep -rqs 'bookworm-backports' "$apt_etc/sources.list" "$apt_etc/sources.list.d/"; }

# The first Debian archive URI among the configured sources (deb822 .sources or one-line .list).
configured_debian_mirror() {
  {
    grep -hs '^URIs:' "$apt_etc"/sources.list.d/*.sources | sed 's/^URIs:[[:space:]]*//' | tr ' ' '\n'
    grep -hs '^deb[[:space:]]' "$apt_etc/sources.list" "$apt_etc"/sources.list.d/*.list | grep -o '[a-z+]*://[^[:space:]]*'
  } | grep -E '/debian/?$' | head -n1 || true
}

apt_updated=0
apt_update_once() { [ $apt_updated = 1 ] || { run apt-get update -qq; apt_updated=1; }; }

if ! have_vulkan_icd; then
  echo "setup: no Vulkan driver found; installing Mesa lavapipe from bookworm-backports" >&2
  if ! backports_configured; then
    mirror=$(configured_debian_mirror)
    if [ -z "$mirror" ]; then
      echo "setup: no Debian mirror is configured in $apt_etc/sources.list or $apt_etc/sources.list.d/, so bookworm-backports cannot be added;" \
        "fix: configure your Debian mirror (with bookworm-backports) and rerun, or install a Vulkan driver (Mesa ≥ 23 for lavapipe) yourself" >&2
      exit 1
    fi
    echo "setup: adding bookworm-backports from the configured mirror $mirror" >&2
    if [ $dry_run = 1 ]; then
      echo "would write $apt_etc/sources.list.d/bookworm-backports.list: deb $mirror bookworm-backports main"
    else
      echo "deb $mirror bookworm-backports main" | run tee "$apt_etc/sources.list.d/bookworm-backports.list" >/dev/null
    fi
  fi
  apt_update_once
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers
fi

if [ $with_chromium = 1 ] && ! command -v chromium >/dev/null; then
  echo "setup: installing chromium for the report test" >&2
  apt_update_once
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  if [ $dry_run = 1 ]; then echo "would run: npm ci"; else npm ci --no-audit --no-fund --loglevel=error; fi
fi
