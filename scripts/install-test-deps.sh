#!/usr/bin/env bash
# Installs the Debian tools the test suite drives as real peers: SIPp (sip-tester), espeak-ng and
# sox for prompts, openssl for the TLS tests' certificates, Chromium for the browser tests. Fails loudly when a tool cannot be installed.
set -euo pipefail

need=()
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  echo "test tools present: sipp, espeak-ng, sox, openssl, chromium"
  exit 0
fi

echo "installing test tools: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
for tool in sipp espeak-ng sox openssl chromium; do
  command -v "$tool" >/dev/null 2>&1 || { echo "FATAL: $tool is still missing after apt-get install" >&2; exit 1; }
done
echo "test tools installed"
