#!/usr/bin/env bash
# Writes the secrets of docker/compose.staging.yaml into docker/secrets/ (git-ignored):
# random passwords for `postgres` and `migsafe`, and migsafe's DATABASE_URL built from the
# latter. Existing files are kept (rerun-safe). Nothing is printed but the file names.
# The directory is 0700; the files are 0444 because Compose bind-mounts them with the
# host's mode and the containers' users (uid 10001) must read them.
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)/secrets
install -d -m 0700 "$dir"
umask 0222

new_password() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

if [[ ! -s $dir/postgres_password ]]; then
    new_password >"$dir/postgres_password"
fi
if [[ ! -s $dir/migsafe_password ]]; then
    new_password >"$dir/migsafe_password"
fi
if [[ ! -s $dir/database_url ]]; then
    # Hex passwords need no percent-encoding in a URL.
    printf 'postgresql://migsafe:%s@primary:5432/app\n' "$(cat "$dir/migsafe_password")" \
        >"$dir/database_url"
fi
echo "make-secrets: $dir/{postgres_password,migsafe_password,database_url}"
