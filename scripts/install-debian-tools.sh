#!/usr/bin/env bash
# Installs Debian packages for commands that are missing: each argument is COMMAND=PACKAGE
# (e.g. sipp=sip-tester). Fails loudly when a command is still missing afterwards.
set -euo pipefail

need=()
for pair in "$@"; do
  tool="${pair%%=*}"
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/bin/$tool" ] || need+=("${pair#*=}")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "tools present: ${*%%=*}"
  exit 0
fi
echo "installing: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
for pair in "$@"; do
  tool="${pair%%=*}"
  command -v "$tool" >/dev/null 2>&1 || { echo "FATAL: $tool is still missing after apt-get install" >&2; exit 1; }
done
echo "installed: ${need[*]}"
