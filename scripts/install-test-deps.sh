#!/usr/bin/env bash
# Installs the Debian tools the test suite drives as real peers: SIPp (sip-tester), espeak-ng and
# sox for prompts, openssl for the TLS tests' certificates, Chromium for the browser tests.
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-tools.sh" \
  sipp=sip-tester espeak-ng=espeak-ng sox=sox openssl=openssl chromium=chromium
