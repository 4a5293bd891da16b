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
  last="$dir"
done

# The quick start's second half, `npm start`, in the copy npm 12 installed: it must build the demo,
# serve it and answer GraphQL. Any free port (GATEWATCH_LISTEN), so a busy 4000 cannot fail CI.
say "npm start in the npm 12 copy"
out="$work/start.log"
# In a session of its own, so that stopping it stops npm, the shell it starts and the server alike.
GATEWATCH_LISTEN=127.0.0.1:0 setsid bash -c 'cd "$1" && exec npm start' start "$last" >"$out" 2>&1 &
starter=$!
stop() {
  kill -TERM -- "-$starter" 2>/dev/null || kill -TERM "$starter" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$starter" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$starter" 2>/dev/null || true
}
trap 'stop; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 360); do
  url="$(sed -nE 's|^.*GraphQL +(http://[^ ]+/graphql).*$|\1|p' "$out" | head -n 1)"
  if [ -n "$url" ] && grep -q 'datasets available' "$out"; then break; fi
  kill -0 "$starter" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ] || ! grep -q 'all [0-9]* datasets available' "$out"; then
  stop; tail -n 30 "$out" >&2; fail "npm start did not serve the demo inventory"
fi
answer="$(node -e '
  fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ cemSummary { total } gateways { name } }" }) })
    .then((r) => r.json()).then((b) => console.log(b.data?.cemSummary?.total ?? 0, b.data?.gateways?.length ?? 0))
    .catch((e) => { console.error(e.message); console.log("0 0"); })' "$url")"
stop
read -r computers gateways <<<"$answer"
[ "${computers:-0}" -gt 0 ] && [ "${gateways:-0}" -gt 0 ] || fail "npm start served no data ($url answered: $answer)"
say "npm start serves $computers computers behind $gateways gateways at $url"
