#!/bin/sh
# usage: gatewatch-links.sh SOURCE DEST [SOURCE DEST ...] -- COMMAND [ARG ...]
#
# Entry point of the compose stack's Prometheus and Grafana (docker-compose.yml). The committed alert
# rules and dashboards carry the links `npm run alerts` / `npm run dashboards` generate by default: runbooks
# in gatewatch's repository and Grafana at 127.0.0.1:3000. An operator's alert must open the runbooks and
# the Grafana they actually use, so this copies each SOURCE file (or every file of a SOURCE directory) to
# DEST with those links replaced by GATEWATCH_RUNBOOK_BASE_URL and GATEWATCH_GRAFANA_URL from .env, then
# execs COMMAND. A value that is not an http(s) URL stops the container with one line naming it.
set -eu

# What src/alerts/config.ts generates by default (test/compose.test.ts keeps the two in step).
DEFAULT_RUNBOOK='https://github.com/gatewatch/gatewatch/blob/main/docs/runbooks.md'
DEFAULT_GRAFANA='http://127.0.0.1:3000'

# An absolute http(s) URL without a fragment, query, quote, backslash or blank, trailing slashes dropped.
url() {
  case "$2" in
    http://?* | https://?*) ;;
    *) echo "gatewatch-links: $1 must be an http(s) URL, not '$2': set it in .env" >&2; exit 1 ;;
  esac
  case "$2" in
    *[\#\?\"\'\\\ \	]*) echo "gatewatch-links: $1 must be a URL without # ? quotes or blanks, not '$2'" >&2; exit 1 ;;
  esac
  v=$2
  while case "$v" in */) true ;; *) false ;; esac; do v=${v%/}; done
  printf '%s' "$v"
}

RUNBOOK=$(url GATEWATCH_RUNBOOK_BASE_URL "${GATEWATCH_RUNBOOK_BASE_URL:-}")
GRAFANA=$(url GATEWATCH_GRAFANA_URL "${GATEWATCH_GRAFANA_URL:-}")

# Plain-text replacement (index, not a regex), so nothing in a URL is read as a pattern.
rewrite() {
  awk -v r0="$DEFAULT_RUNBOOK" -v r1="$RUNBOOK" -v g0="$DEFAULT_GRAFANA" -v g1="$GRAFANA" '
    function swap(s, from, to,    out, i) {
      out = ""
      while ((i = index(s, from)) > 0) { out = out substr(s, 1, i - 1) to; s = substr(s, i + length(from)) }
      return out s
    }
    { print swap(swap($0, r0, r1), g0, g1) }' "$1" >"$2"
}

while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  [ "$#" -ge 2 ] || { echo "gatewatch-links: SOURCE $1 has no DEST" >&2; exit 2; }
  if [ -d "$1" ]; then
    mkdir -p "$2"
    for f in "$1"/*; do
      if [ -f "$f" ]; then rewrite "$f" "$2/${f##*/}"; fi
    done
  else
    mkdir -p "$(dirname "$2")"
    rewrite "$1" "$2"
  fi
  shift 2
done
[ "${1:-}" = -- ] || { echo "gatewatch-links: -- COMMAND missing" >&2; exit 2; }
shift
exec "$@"
