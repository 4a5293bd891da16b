#!/usr/bin/env bash
# Proves the quick start's `npm install` on the npm the machine ships and on npm 12, which blocks
# every dependency install script that package.json's `allowScripts` does not approve. Each runs in a
# fresh copy of the checkout's files (in a clean clone: what the clone has); afterwards better-sqlite3 must load
# its native binding, `gatewatch demo` must write an inventory, and npm must report no install script
# left unreviewed (a new dependency with one needs a decision in allowScripts). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

NPM12="npm@${GATEWATCH_CHECK_NPM:-12}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { echo "check-npm-install: $*"; }
fail() { say "FAIL: $*" >&2; exit 1; }

npm install --prefix "$work/npm12" --no-audit --no-fund --loglevel=error "$NPM12" >/dev/null \
  || fail "could not install $NPM12 from the npm registry"

for npm in npm "$work/npm12/node_modules/.bin/npm"; do
  version="$("$npm" --version 2>/dev/null)"
  dir="$work/app-npm-$version"
  log="$work/install-npm-$version.log"
  mkdir -p "$dir"
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dir"
  say "npm $version: npm install in a fresh copy"
  if ! (cd "$dir" && "$npm" install --no-audit --no-fund >"$log" 2>&1); then
    tail -n 30 "$log" >&2
    fail "npm $version: npm install failed"
  fi
  if grep -iE 'install scripts? (blocked|not yet covered)|had install scripts blocked' "$log" >&2; then
    fail "npm $version: an install script is neither approved nor denied in package.json allowScripts"
  fi
  (cd "$dir" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()") \
    || fail "npm $version: better-sqlite3 has no native binding after npm install"
  (cd "$dir" && node dist/cli.js demo --computers 50 --out "$work/demo-$version.sqlite" >/dev/null) \
    || fail "npm $version: gatewatch demo failed after npm install"
  say "npm $version: better-sqlite3 loads, gatewatch demo works"
done
