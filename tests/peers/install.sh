#!/usr/bin/env bash
# Installs the real migration tools the peer tests run migsafe against, from the npm
# registry, into a cache directory (pinned versions; idempotent: a second run with the same
# versions does nothing; quiet: one line on success, npm's errors on failure).
#
#   dbmate   @dbmate/linux-x64 (the release binary, nothing else)
#   Prisma   the CLI 6.19.x with its WebAssembly schema engine, driven through the pg driver
#            adapter @prisma/adapter-pg 7.x (6.x cannot decode the `name` type: prisma/orm
#            issue 27403). Prisma 7's CLI downloads a native schema engine from a host that
#            is not reachable here; 6.19 with `engine: 'js'` in prisma.config.ts does not.
#            Install scripts are skipped (--ignore-scripts): @prisma/engines' postinstall
#            would try that download too.
#
# Usage: tests/peers/install.sh [DIR]   (default ${MIGSAFE_PEERS_DIR:-$HOME/.cache/migsafe-peers})
# Prints the directory on success. Exit codes: 0 installed (or already there), 3 the npm
# registry cannot be reached (or npm is missing), 1 anything else.
# Layout: DIR/node_modules/@dbmate/linux-x64/bin/dbmate, DIR/node_modules/.bin/prisma.
set -euo pipefail

dir=${1:-${MIGSAFE_PEERS_DIR:-${HOME:-/root}/.cache/migsafe-peers}}
packages=(
  "@dbmate/linux-x64@2.36.0"
  "prisma@6.19.3"
  "@prisma/adapter-pg@7.10.1"
)
stamp_text="${packages[*]}"

if ! command -v npm >/dev/null 2>&1; then
  echo "peers: npm is not installed (scripts/install-deps.sh installs it)" >&2
  exit 3
fi

mkdir -p "$dir"
exec 9>"$dir/.install.lock"
flock 9 # parallel test binaries install once, the others wait

ready() {
  [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$stamp_text" ] &&
    [ -x "$dir/node_modules/@dbmate/linux-x64/bin/dbmate" ] &&
    [ -x "$dir/node_modules/.bin/prisma" ] &&
    [ -f "$dir/node_modules/@prisma/adapter-pg/package.json" ]
}

if ready; then
  echo "$dir"
  exit 0
fi

# Ask the registry first: an unreachable one makes npm install retry for minutes.
if ! npm ping --fetch-timeout=15000 --fetch-retries=0 >"$dir/npm-ping.log" 2>&1; then
  echo "peers: the npm registry is unreachable; npm ping said:" >&2
  tail -n 5 "$dir/npm-ping.log" >&2
  exit 3
fi

rm -rf "$dir/node_modules" "$dir/.installed"
printf '{"name":"migsafe-peers","private":true}\n' >"$dir/package.json"
log="$dir/npm-install.log"
start=$(date +%s)
if ! npm install --prefix "$dir" --no-audit --no-fund --no-package-lock --ignore-scripts \
  --loglevel=error --fetch-timeout=60000 --fetch-retries=1 "${packages[@]}" >"$log" 2>&1; then
  if ! npm ping --fetch-timeout=15000 --fetch-retries=0 >/dev/null 2>&1; then
    echo "peers: the npm registry is unreachable; npm said:" >&2
    tail -n 5 "$log" >&2
    exit 3
  fi
  echo "peers: npm install failed:" >&2
  cat "$log" >&2
  exit 1
fi
chmod +x "$dir/node_modules/@dbmate/linux-x64/bin/dbmate"
printf '%s' "$stamp_text" >"$dir/.installed"
if ! ready; then
  echo "peers: npm install ran but $dir lacks the expected programs" >&2
  exit 1
fi
echo "peers: installed ${packages[*]} in $(($(date +%s) - start)) s" >&2
echo "$dir"
