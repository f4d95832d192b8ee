#!/usr/bin/env bash
# Installs the Debian tools the test suite drives as real peers: SIPp (sip-tester), espeak-ng and
# sox for prompts, pocketsphinx with its en-us model and flite for digit recognition, openssl for
# the TLS tests' certificates, poppler's pdftoppm for document previews, Chromium for the browser tests.
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-tools.sh" \
  sipp=sip-tester espeak-ng=espeak-ng sox=sox openssl=openssl chromium=chromium \
  pocketsphinx_batch=pocketsphinx /usr/share/pocketsphinx/model/en-us/en-us/mdef=pocketsphinx-en-us flite=flite \
  pdftoppm=poppler-utils
