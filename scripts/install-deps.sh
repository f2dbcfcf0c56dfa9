#!/usr/bin/env bash
# Installs everything migsafe needs to build and test on Debian 12, with apt-get.
# Idempotent: safe to run again. Needs root (or sudo). This is what a new user runs,
# and what .ci/run runs on a fresh machine.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates
  clang-format-14 clang-tidy-14
  # libraries (see cmake/Dependencies.cmake)
  libpq-dev libpg-query-dev libprotobuf-c-dev
  libboost-dev libboost-filesystem-dev
  libxxhash-dev libzstd-dev
  libspdlog-dev libfmt-dev doctest-dev libcli11-dev nlohmann-json3-dev
  libtomlplusplus-dev
  # the flags panel's HTTP server (migsafe flag serve)
  libcpp-httplib-dev
  # PostgreSQL server and client programs: ephemeral clusters (initdb, pg_ctl), pg_dump,
  # pg_restore, psql. The tests start their own cluster; no service is needed.
  postgresql-15 postgresql-client-15
  # the pgbackrest snapshot engine drives pgBackRest (backup, info, verify, restore); its
  # tests run it on an ephemeral cluster's stanza
  pgbackrest
  # command-line peers used by tests (xxhsum checks our hashes, zstd our archives)
  zstd xxhash
  # the SARIF output of `migsafe plan` is validated against the SARIF 2.1.0 schema
  python3-jsonschema
  # xmllint: the JUnit XML of `migsafe rehearse` is validated against tests/schemas/junit-10.xsd
  libxml2-utils
  # the YAML of docker/ (compose file, Kubernetes manifests) is parsed by tests/docker/
  python3-yaml
  # the flags panel is tested in a real headless browser (tests/panel/test_panel_browser.py)
  chromium chromium-driver python3-selenium
)

# npm installs the real dbmate and Prisma for the peer tests (tests/peers/install.sh). A
# machine whose Node.js came from elsewhere already has npm: Debian's would conflict with it.
command -v npm >/dev/null 2>&1 || packages+=(npm)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
