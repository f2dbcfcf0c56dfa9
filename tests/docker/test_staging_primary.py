#!/usr/bin/env python3
"""The compose file's primary and migsafe services, without containers (issue 14).

Runs docker/primary-start.sh as the server's user (`postgres` when root) on a temporary
data directory, with docker/pgbackrest.conf's stanza `staging` pointed at temporary paths:
initdb, archiving to pgBackRest, the `migsafe` role from a password file, the stanza. Then
docker/entrypoint.sh with the built binary (MIGSAFE_BIN) does what the compose services
do, over TCP with the role's password (scram): `migrate` (a pgbackrest snapshot first, then
check and apply of docker/staging-migrations), `snapshot` (pgbackrest), `drill` (the
backup restored by pgBackRest into migsafe's scratch cluster), `snapshot` with the
basebackup engine (a replication connection as the same role) and its `drill`, then a
`drill` the default 90d gate skips. No password appears in any output nor in the server
log.

Usage: test_staging_primary.py MIGSAFE_BINARY
Exit 125 (skipped) without the PostgreSQL 15 server programs or pgbackrest, unless CI=true.
"""

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 125
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCKER = os.path.join(ROOT, "docker")


START = time.time()


def log(message):
    print(f"test_staging_primary: [{time.time() - START:5.1f} s] {message}", flush=True)


def skip_or_fail(why):
    if os.environ.get("CI") == "true":
        log(f"FAIL: {why} (CI=true: a missing program fails the run)")
        sys.exit(1)
    log(f"SKIP: {why}")
    sys.exit(SKIP)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    bindirs = sorted(glob.glob("/usr/lib/postgresql/15/bin"))
    if not bindirs or not os.path.exists(os.path.join(bindirs[0], "initdb")):
        skip_or_fail("the PostgreSQL 15 server programs are not installed (postgresql-15)")
    if shutil.which("pgbackrest") is None:
        skip_or_fail("pgbackrest is not installed")
    bindir = bindirs[0]
    root = os.geteuid() == 0
    owner = pwd.getpwnam("postgres") if root else None

    work = tempfile.mkdtemp(prefix="migsafe-staging-primary-")
    os.chmod(work, 0o755)
    password = f"StagingPw{os.getpid()}x{int(time.time())}"
    port = free_port()
    paths = {name: os.path.join(work, name) for name in ["data", "socket", "repo", "lock", "secrets"]}
    for name in ["socket", "repo", "lock", "secrets"]:
        os.mkdir(paths[name], 0o750 if name == "repo" else 0o755)
    with open(os.path.join(paths["secrets"], "postgres_password"), "w") as f:
        f.write(f"Pg{password}")
    with open(os.path.join(paths["secrets"], "migsafe_password"), "w") as f:
        f.write(password)
    # docker/pgbackrest.conf with this run's paths instead of the volumes'.
    conf_text = open(os.path.join(DOCKER, "pgbackrest.conf")).read()
    for image_path, here in [("/var/lib/pgbackrest", paths["repo"]),
                             ("/var/lib/postgresql/15/main", paths["data"]),
                             ("/var/run/postgresql", paths["socket"]), ("/tmp/pgbackrest", paths["lock"])]:
        assert image_path in conf_text, image_path
        conf_text = conf_text.replace(image_path, here)
    conf_text = conf_text.replace("pg1-port=5432", f"pg1-port={port}")
    config = os.path.join(work, "pgbackrest.conf")
    with open(config, "w") as f:
        f.write(conf_text)
    if root:
        for folder, _, files in os.walk(work):
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            for name in files:
                os.chown(os.path.join(folder, name), owner.pw_uid, owner.pw_gid)

    primary_env = {
        "PATH": f"{bindir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": owner.pw_dir if root else os.environ.get("HOME", "/tmp"),
        "PGDATA": paths["data"], "PGPORT": str(port), "PGBACKREST_STANZA": "staging",
        "PGBACKREST_CONFIG": config, "PRIMARY_SOCKET_DIR": paths["socket"],
        "PRIMARY_LISTEN": "127.0.0.1", "PRIMARY_READY_FILE": os.path.join(work, "stanza-ready"),
        "POSTGRES_PASSWORD_FILE": os.path.join(paths["secrets"], "postgres_password"),
        "MIGSAFE_PASSWORD_FILE": os.path.join(paths["secrets"], "migsafe_password"),
        "LANG": "C.UTF-8",
    }
    command = ["bash", os.path.join(DOCKER, "primary-start.sh")]
    if root:
        command = ["runuser", "-u", "postgres", "--", *command]
    primary_log = open(os.path.join(work, "primary.log"), "w")
    primary = subprocess.Popen(command, env=primary_env, stdout=primary_log, stderr=subprocess.STDOUT)
    failures = []
    outputs = []

    def check(condition, what):
        if not condition:
            failures.append(what)
            log(f"FAIL: {what}")
        return condition

    try:
        deadline = time.time() + 120
        while not os.path.exists(primary_env["PRIMARY_READY_FILE"]) and time.time() < deadline:
            if primary.poll() is not None:
                break
            time.sleep(0.5)
        if not check(os.path.exists(primary_env["PRIMARY_READY_FILE"]),
                     "the primary did not become ready (stanza-create and check)"):
            return 1
        log(f"primary ready on 127.0.0.1:{port}, stanza staging")

        store = os.path.join(work, "store")
        database_url = f"postgresql://migsafe:{password}@127.0.0.1:{port}/app"
        env = {
            "PATH": primary_env["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
            "NO_COLOR": "1", "MIGSAFE_BIN": binary, "DATABASE_URL": database_url,
            "MIGSAFE_STORE": store, "MIGSAFE_ENGINE": "pgbackrest",
            "MIGSAFE_PGBACKREST_STANZA": "staging", "MIGSAFE_PGBACKREST_CONFIG": config,
            "MIGSAFE_DIR": os.path.join(DOCKER, "staging-migrations"),
            "MIGSAFE_SNAPSHOT_BEFORE_MIGRATE": "1",
        }
        if root:
            env["MIGSAFE_PGBACKREST_USER"] = "postgres"

        def entrypoint(*args, extra=None):
            result = subprocess.run(["bash", os.path.join(DOCKER, "entrypoint.sh"), *args],
                                    env={**env, **(extra or {})}, capture_output=True, text=True,
                                    timeout=600)
            outputs.append(result.stdout + result.stderr)
            log(f"entrypoint.sh {' '.join(args)}: exit {result.returncode}")
            if result.returncode != 0:
                print(result.stdout + result.stderr, flush=True)
            return result

        migrated = entrypoint("migrate")
        check(migrated.returncode == 0, "migrate did not pass")
        check("--engine pgbackrest" in migrated.stderr, "migrate took no pgbackrest snapshot first")
        check("3 applied" in migrated.stdout, "migrate did not apply the three staging migrations")

        snapshot = entrypoint("snapshot", "--json")
        if check(snapshot.returncode == 0, "snapshot (pgbackrest) did not pass"):
            report = json.loads(snapshot.stdout)["report"]
            check(report.get("engine", "pgbackrest") == "pgbackrest", f"snapshot engine {report.get('engine')}")
        drill_json = os.path.join(work, "drill.json")
        drilled = entrypoint("drill", extra={"MIGSAFE_DRILL_EVERY": "", "MIGSAFE_DRILL_JSON": drill_json})
        if check(drilled.returncode == 0, "drill did not pass"):
            record = json.load(open(drill_json))["report"]
            check(record["passed"] is True and record["engine"] == "pgbackrest",
                  f"drill record: passed {record['passed']}, engine {record['engine']}")
            check(record.get("tables_compared", 0) >= 1, "the drill compared no table")
            log(f"drill: restore {record['restore_ms']} ms, recovery {record.get('recovery_ms')} ms, "
                f"checks {record['verify_ms']} ms, RTO {record['rto_ms']} ms")
        # basebackup through the same role: a replication connection over TCP with its
        # password (the primary's pg_hba.conf line and the role's REPLICATION).
        based = entrypoint("snapshot", extra={"MIGSAFE_ENGINE": "basebackup"})
        check(based.returncode == 0, "snapshot (basebackup) did not pass")
        check("--engine basebackup" in based.stderr, "the basebackup snapshot had no --engine")
        drilled = entrypoint("drill", extra={"MIGSAFE_DRILL_EVERY": "", "MIGSAFE_DRILL_JSON": drill_json})
        if check(drilled.returncode == 0, "drill of the basebackup snapshot did not pass"):
            record = json.load(open(drill_json))["report"]
            check(record["passed"] is True and record["engine"] == "basebackup",
                  f"drill record: passed {record['passed']}, engine {record['engine']}")
        # The quarterly gate: a drill passed seconds ago, so the default 90d skips this one.
        lines = len(open(os.path.join(store, "drills.jsonl")).read().splitlines())
        gated = entrypoint("drill")
        check(gated.returncode == 0, "the gated drill did not exit 0")
        check(len(open(os.path.join(store, "drills.jsonl")).read().splitlines()) == lines,
              "the gated drill drilled although a drill passed seconds ago")
        for output in outputs:
            check(password not in output, "the password appears in the entrypoint's output")
        server_logs = glob.glob(os.path.join(paths["data"], "log", "*")) + [primary_log.name]
        for path in server_logs:
            check(password not in open(path, errors="replace").read(), f"the password appears in {path}")
    finally:
        # runuser does not pass signals on: stop the server with pg_ctl, as its owner.
        stop = [os.path.join(bindir, "pg_ctl"), "-D", paths["data"], "-m", "fast", "-w", "stop"]
        if root:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        if os.path.exists(os.path.join(paths["data"], "postmaster.pid")):
            subprocess.run(stop, capture_output=True, timeout=120)
        try:
            primary.wait(timeout=60)
        except subprocess.TimeoutExpired:
            primary.kill()
            primary.wait()
        primary_log.close()
        if failures:
            log(f"kept {work} (primary.log, data/)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        log(f"{len(failures)} failure(s)")
        return 1
    log("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
