#!/usr/bin/env bash
# Installs the Debian peers the media benchmark measures against or drives: rtpengine (userspace
# relay, the comparison) and SIPp (sip-tester, the IVR call-setup load).
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-tools.sh" rtpengine=rtpengine-daemon sipp=sip-tester
