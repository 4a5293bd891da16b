#!/usr/bin/env bash
# Installs the system programs the test suite runs for real, or stops with one line naming them.
# Run by `npm test` (pretest) and by .ci/run. Today: Prometheus (prometheus, promtool) from Debian's
# package, for test/prometheus-e2e.test.ts, which scrapes a real `gatewatch serve` and evaluates
# dashboards/prometheus/alerts.yml; Alertmanager (package prometheus-alertmanager), for
# test/alerts.test.ts (`amtool check-config`) and test/alertmanager.test.ts, which runs
# deploy/alertmanager/alertmanager.yml's inhibit rules in a real Alertmanager on 127.0.0.1;
# blackbox_exporter (package prometheus-blackbox-exporter), for test/gateway-probes.test.ts, which
# probes TLS servers on 127.0.0.1 found through gatewatch's /sd/gateways;
# docker-compose, for test/compose.test.ts, which validates docker-compose.yml (`docker-compose
# config`, no Docker engine needed); and Chromium, for test/graphiql-browser.test.ts, which renders
# GraphiQL headless with the network cut off. Never skips: a missing program is an error, not a
# skipped test.
set -euo pipefail

missing() {
  local p
  for p in "$@"; do command -v "$p" >/dev/null 2>&1 || return 0; done
  return 1
}

# Debian packages to install, and the line that says so when they cannot be.
PACKAGES=()
NEEDS=()
if missing prometheus promtool; then
  PACKAGES+=(prometheus)
  NEEDS+=('Prometheus: install the Debian package prometheus (prometheus, promtool)')
fi
if missing amtool prometheus-alertmanager; then
  PACKAGES+=(prometheus-alertmanager)
  NEEDS+=("Alertmanager: install the Debian package prometheus-alertmanager (prometheus-alertmanager, amtool)")
fi
if missing prometheus-blackbox-exporter; then
  PACKAGES+=(prometheus-blackbox-exporter)
  NEEDS+=('blackbox_exporter: install the Debian package prometheus-blackbox-exporter')
fi
if missing docker-compose; then
  PACKAGES+=(docker-compose)
  NEEDS+=('docker-compose: install Debian package docker-compose')
fi
if missing chromium; then
  PACKAGES+=(chromium)
  NEEDS+=('Chromium: install the Debian package chromium')
fi
if [ "${#PACKAGES[@]}" = 0 ]; then exit 0; fi
NEED_MSG="gatewatch tests need $(printf '%s; ' "${NEEDS[@]}")"
NEED_MSG="${NEED_MSG%; }"

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$NEED_MSG" >&2
  exit 1
fi

echo "ensure-tools: installing the Debian packages ${PACKAGES[*]} for the tests"

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
# --no-install-recommends: the tests need prometheus, promtool and amtool, not prometheus-node-exporter,
# docker-compose's command, not the Docker engine (docker.io) it recommends, and chromium's headless
# browser, not its recommended desktop extras.
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"; } >"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  rm -f "$LOG"
  echo "ensure-tools: apt-get could not install ${PACKAGES[*]}; $NEED_MSG" >&2
  exit 1
fi
rm -f "$LOG"
# The postinst also enables the service for the next boot: on a systemd host that would start a
# Prometheus on 0.0.0.0:9090 nobody asked for. The tests run their own, on loopback.
for unit in prometheus prometheus-alertmanager prometheus-blackbox-exporter; do
  if command -v deb-systemd-helper >/dev/null 2>&1 && [ -e "/lib/systemd/system/$unit.service" ]; then
    deb-systemd-helper disable "$unit.service" >/dev/null 2>&1 || true
  fi
done

if missing prometheus promtool amtool prometheus-alertmanager prometheus-blackbox-exporter docker-compose chromium; then
  echo "$NEED_MSG" >&2
  exit 1
fi
echo "ensure-tools: $(prometheus --version 2>&1 | head -n 1); $(docker-compose version --short 2>/dev/null || docker-compose --version); $(chromium --version 2>/dev/null | head -n 1)"
