#!/usr/bin/env python3
"""Writes a corpus of realistic migrations for bench/plan: DIR/0001_*.sql ... with the
kinds of statements real schema histories hold (tables, columns, indexes, constraints,
type changes, backfills, renames, drops), safe and unsafe, seeded so every run is equal.

usage: make_corpus.py DIR [MIGRATIONS] [STATEMENTS_PER_MIGRATION]"""
import os
import random
import sys

if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
    print(__doc__, file=sys.stderr if len(sys.argv) < 2 else sys.stdout)
    sys.exit(2 if len(sys.argv) < 2 else 0)
out = sys.argv[1]
migrations = int(sys.argv[2]) if len(sys.argv) > 2 else 600
per = int(sys.argv[3]) if len(sys.argv) > 3 else 10
rng = random.Random(20261129)
os.makedirs(out, exist_ok=True)

types = ["bigint", "integer", "text", "varchar(100)", "boolean", "timestamptz", "numeric(12,2)", "jsonb", "uuid"]
tables = []
columns = {}


def new_table(i):
    name = f"t{i}_{rng.choice(['patients', 'visits', 'invoices', 'clinics', 'notes', 'reviews'])}"
    cols = [f"c{k}" for k in range(rng.randint(3, 8))]
    tables.append(name)
    columns[name] = list(cols)
    body = ",\n    ".join(f"{c} {rng.choice(types)}" for c in cols)
    return f"CREATE TABLE {name} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    {body}\n);"


def statement(i, j):
    if not tables or rng.random() < 0.08:
        return new_table(f"{i}_{j}")
    t = rng.choice(tables)
    c = rng.choice(columns[t])
    n = f"n{i}_{j}"
    choices = [
        lambda: f"ALTER TABLE {t} ADD COLUMN {n} {rng.choice(types)};",
        lambda: f"ALTER TABLE {t} ADD COLUMN {n} integer NOT NULL DEFAULT 0;",
        lambda: f"ALTER TABLE {t} ADD COLUMN {n} timestamptz DEFAULT clock_timestamp();",
        lambda: f"CREATE INDEX {t}_{n}_idx ON {t} ({c});",
        lambda: f"CREATE INDEX CONCURRENTLY {t}_{n}_idx ON {t} ({c});",
        lambda: f"CREATE UNIQUE INDEX {t}_{n}_key ON {t} ({c});",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} TYPE bigint;",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} TYPE text;",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {t}_{n}_fk FOREIGN KEY ({c}) REFERENCES {rng.choice(tables)} (id);",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {t}_{n}_fk FOREIGN KEY ({c}) REFERENCES {rng.choice(tables)} (id) NOT VALID;",
        lambda: f"ALTER TABLE {t} VALIDATE CONSTRAINT {t}_{n}_fk;",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {t}_{n}_check CHECK ({c} IS NOT NULL) NOT VALID;",
        lambda: f"UPDATE {t} SET {c} = {c} WHERE id BETWEEN {j * 1000} AND {j * 1000 + 999};",
        lambda: f"ALTER TABLE {t} RENAME COLUMN {c} TO {c}_old;",
        lambda: f"ALTER TABLE {t} DROP COLUMN {c};",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT 0;",
        lambda: f"COMMENT ON COLUMN {t}.{c} IS 'reviewed in release {i}';",
        lambda: f"DROP INDEX {t}_{c}_idx;",
        lambda: f"SET lock_timeout = '{rng.choice([1, 2, 5])}s';",
        lambda: f"INSERT INTO {t} ({c}) VALUES (NULL);",
    ]
    return rng.choice(choices)()


count = 0
for i in range(1, migrations + 1):
    body = "\n".join(statement(i, j) for j in range(per))
    with open(os.path.join(out, f"{i:04d}_release_{i}.sql"), "w") as f:
        f.write(f"-- release {i}\n{body}\n")
    count += per
print(count)
