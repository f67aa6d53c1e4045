#!/usr/bin/env bash
# Installs what cortex-vae needs on a fresh Debian 12 machine with Node 20:
# npm packages, and Mesa's lavapipe (CPU Vulkan driver, 25.x from bookworm-backports) when
# no Vulkan driver is present, plus Chromium for the report test when asked (--with-chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
with_chromium=0
for a in "$@"; do [ "$a" = "--with-chromium" ] && with_chromium=1; done

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

have_vulkan_icd() { ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; }

apt_updated=0
apt_update_once() { [ $apt_updated = 1 ] || { sudo_ apt-get update -qq; apt_updated=1; }; }

if ! have_vulkan_icd; then
  echo "setup: no Vulkan driver found; installing Mesa lavapipe from bookworm-backports" >&2
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri=$(grep -rhs '^URIs:.*debian/*$' /etc/apt/sources.list.d/ | head -n1 | awk '{print $2}')
    [ -n "$uri" ] || uri=$(grep -hs '^deb .*debian/* bookworm' /etc/apt/sources.list | head -n1 | awk '{print $2}')
    [ -n "$uri" ] || uri=http://deb.debian.org/debian
    echo "deb $uri bookworm-backports main" | sudo_ tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  apt_update_once
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
fi

if [ $with_chromium = 1 ] && ! command -v chromium >/dev/null; then
  echo "setup: installing chromium for the report test" >&2
  apt_update_once
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
