#!/usr/bin/env bash
# Installs the system programs the test suite runs for real, or stops with one line naming them.
# Run by `npm test` (pretest) and by .ci/run. Today: Prometheus (prometheus, promtool) from Debian's
# package, for test/prometheus-e2e.test.ts, which scrapes a real `gatewatch serve` and evaluates
# dashboards/prometheus/alerts.yml. Never skips: a missing program is an error, not a skipped test.
set -euo pipefail

missing() {
  local p
  for p in "$@"; do command -v "$p" >/dev/null 2>&1 || return 0; done
  return 1
}

NEED_MSG='gatewatch tests need Prometheus: install the Debian package prometheus (prometheus, promtool)'

if ! missing prometheus promtool; then exit 0; fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$NEED_MSG" >&2
  exit 1
fi

echo "ensure-tools: installing the Debian package prometheus (prometheus, promtool) for the end-to-end tests"

# The package's postinst starts the prometheus service (0.0.0.0:9090) through invoke-rc.d, or
# deb-systemd-invoke under systemd, and fails the install if that start fails (no init in a
# container). A policy-rc.d that answers 101 tells both to leave services alone; any policy
# already there is put back afterwards.
POLICY=/usr/sbin/policy-rc.d
SAVED=''
if [ -e "$POLICY" ]; then
  SAVED="$(mktemp)"
  cp -p "$POLICY" "$SAVED"
fi
restore_policy() {
  if [ -n "$SAVED" ]; then cp -p "$SAVED" "$POLICY" && rm -f "$SAVED"; else rm -f "$POLICY"; fi
}
trap restore_policy EXIT
printf '#!/bin/sh\n# gatewatch scripts/ensure-tools.sh: no service starts while it installs packages.\nexit 101\n' >"$POLICY"
chmod 755 "$POLICY"

LOG="$(mktemp)"
export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends: the tests need prometheus and promtool, not prometheus-node-exporter.
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus; } >"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  rm -f "$LOG"
  echo "ensure-tools: apt-get could not install prometheus; $NEED_MSG" >&2
  exit 1
fi
rm -f "$LOG"

if missing prometheus promtool; then
  echo "$NEED_MSG" >&2
  exit 1
fi
echo "ensure-tools: $(prometheus --version 2>&1 | head -n 1)"
