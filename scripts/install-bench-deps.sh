#!/usr/bin/env bash
# Installs the Debian peers the media benchmark measures against or drives: rtpengine (userspace
# relay, the comparison) and SIPp (sip-tester, the IVR call-setup load). Fails loudly when a tool
# cannot be installed.
set -euo pipefail

need=()
command -v rtpengine >/dev/null 2>&1 || need+=(rtpengine-daemon)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
if [ ${#need[@]} -eq 0 ]; then
  echo "bench tools present: rtpengine, sipp"
  exit 0
fi
echo "installing bench tools: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
for tool in rtpengine sipp; do
  command -v "$tool" >/dev/null 2>&1 || { echo "FATAL: $tool is still missing after apt-get install" >&2; exit 1; }
done
echo "bench tools installed"
