#!/usr/bin/env python3
"""Applies every up.sql of bench/plan/realistic/migrations in order to a scratch database
and compares what PostgreSQL did with the labels in expected-risks.json.

usage: check_labels.py        (psql and the libpq variables PGHOST, PGPORT, PGUSER pick the
                               server; the database migsafe_realistic_check is recreated)

Per migration it prints the tables that got a new relfilenode (rewrites) and the tables
whose pg_stat_all_tables.seq_scan grew (full reads, of any lock strength), and marks a
migration whose rewrites differ from its `rewrite` labels or whose `scan` labels were not
read. The database is empty, so a full read is seen whatever the planner would pick with
data; reads under weak locks (CONCURRENTLY, VALIDATE, INSERT ... SELECT) are listed, not
labelled. Files a PostgreSQL 15 server cannot parse fail (rc 3) and are reported as such."""
import json
import os
import subprocess
import sys

if len(sys.argv) > 1:
    print(__doc__)
    sys.exit(0 if sys.argv[1] in ("-h", "--help") else 2)
corpus = os.path.dirname(os.path.abspath(__file__))
labels = json.load(open(os.path.join(corpus, "expected-risks.json")))["migrations"]
db = "migsafe_realistic_check"
psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db}", "-c",
                       f"CREATE DATABASE {db}"], check=True)


def snapshot():
    query = ("SELECT c.relname, c.relfilenode, coalesce(s.seq_scan, 0) FROM pg_class c "
             "JOIN pg_namespace n ON n.oid = c.relnamespace "
             "LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid "
             "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')")
    out = subprocess.run(psql + ["-d", db, "-At", "-F", "|", "-c", query], capture_output=True,
                         text=True, check=True).stdout
    rows = (line.split("|") for line in out.splitlines() if line)
    return {name: (node, int(scans)) for name, node, scans in rows}


differences = 0
for folder in sorted(labels):
    path = os.path.join(corpus, "migrations", folder, "up.sql")
    in_transaction = "-- migsafe:no-transaction" not in open(path).read()
    before = snapshot()
    # A session time zone other than UTC, as the labels assume (a reviewer cannot see the
    # server's default; a file that needs UTC sets it).
    run = subprocess.run(psql + ["-d", db] + (["-1"] if in_transaction else []) + ["-f", path],
                         capture_output=True, text=True, env=dict(os.environ, PGTZ="Europe/Berlin"))
    after = snapshot()  # a new session: the migration's backend has exited and flushed its stats
    rewritten = sorted(t for t in before if t in after and before[t][0] != after[t][0])
    read = sorted(t for t in before if t in after and after[t][1] > before[t][1])
    risks = labels[folder]
    rewrite_labels = sorted({r["table"] for r in risks if r["kind"] == "rewrite"})
    # a scan labelled on a partitioned table is seen on its partitions
    unseen = [r["table"] for r in risks if r["kind"] == "scan"
              and not any(t == r["table"] or t.startswith(r["table"] + "_") for t in read)]
    mark = ""
    if run.returncode != 0:
        errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
        mark = f" FAILED: {errors[0] if errors else run.returncode}"
    elif rewritten != rewrite_labels or unseen:
        mark = " DIFFERS"
        differences += 1
    print(f"{folder}: rewrites {rewritten} (labelled {rewrite_labels}), read {read}"
          f"{', scan labels not read: ' + str(unseen) if unseen else ''}{mark}")
subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE {db}"], check=True)
print(f"{differences} migrations differ (a materialized view refreshed or recreated, or a TRUNCATE,"
      " gets a new relfilenode: labelled blocking-lock or breaking, not rewrite)")
