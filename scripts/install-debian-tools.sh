#!/usr/bin/env bash
# Installs Debian packages for commands that are missing: each argument is COMMAND=PACKAGE
# (e.g. sipp=sip-tester). A COMMAND that is an absolute path stands for a file the package installs
# (a model, a data file). Fails loudly when a command or file is still missing afterwards.
set -euo pipefail

present() {
  case "$1" in
    /*) [ -e "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] ;;
  esac
}

need=()
for pair in "$@"; do
  tool="${pair%%=*}"
  present "$tool" || need+=("${pair#*=}")
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
  present "$tool" || { echo "FATAL: $tool is still missing after apt-get install" >&2; exit 1; }
done
echo "installed: ${need[*]}"
