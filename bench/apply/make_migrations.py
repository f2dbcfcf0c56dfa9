#!/usr/bin/env python3
"""Writes a set of small, realistic migrations for bench/apply: DIR/0001_*.sql ... as a
schema history holds them (new tables, nullable and defaulted columns, indexes, plain and
CONCURRENTLY, CHECK and foreign keys added NOT VALID then validated, comments, a few rows
of reference data, the odd rename and drop), each valid when applied in order to an empty
database. Seeded, so every run writes the same files. Prints the number of statements.

usage: make_migrations.py DIR [MIGRATIONS]"""
import os
import random
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 240
rng = random.Random(20261130)
os.makedirs(out, exist_ok=True)

nouns = ["patients", "visits", "invoices", "clinics", "notes", "reviews", "payments", "rooms"]
types = {
    "text": lambda: f"'{rng.choice(['alpha', 'beta', 'gamma', 'delta'])}{rng.randint(1, 99)}'",
    "integer": lambda: str(rng.randint(0, 1000)),
    "bigint": lambda: str(rng.randint(0, 10**9)),
    "boolean": lambda: rng.choice(["true", "false"]),
    "numeric(12,2)": lambda: f"{rng.randint(0, 99999)}.{rng.randint(0, 99):02d}",
    "timestamptz": lambda: "now()",
    "date": lambda: f"date '2026-01-{rng.randint(1, 28):02d}'",
}
tables = []  # names
cols = {}  # table -> {column: type}
seq = 0


def fresh(prefix):
    global seq
    seq += 1
    return f"{prefix}{seq}"


def create_table():
    name = f"{rng.choice(nouns)}_{len(tables) + 1}"
    body = ["id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"]
    c = {}
    for _ in range(rng.randint(2, 6)):
        col, typ = fresh("c"), rng.choice(list(types))
        c[col] = typ
        body.append(f"{col} {typ}")
    body.append("created_at timestamptz NOT NULL DEFAULT now()")
    if tables and rng.random() < 0.4:
        parent = rng.choice(tables)
        body.append(f"{parent}_id bigint REFERENCES {parent} (id)")
    tables.append(name)
    cols[name] = c
    sql = ["CREATE TABLE " + name + " (\n    " + ",\n    ".join(body) + "\n);"]
    if rng.random() < 0.5:
        sql.append(f"COMMENT ON TABLE {name} IS 'The {name.split('_')[0]} of a clinic.';")
    return "create_" + name, sql


def insert_rows(t):
    c = cols[t]
    names = list(c)
    rows = ", ".join("(" + ", ".join(types[c[n]]() for n in names) + ")" for _ in range(rng.randint(2, 5)))
    return f"INSERT INTO {t} ({', '.join(names)}) VALUES {rows};"


def migration():
    """Returns (name, statements, directives)."""
    if len(tables) < 3 or rng.random() < 0.2:
        return (*create_table(), [])
    t = rng.choice(tables)
    kind = rng.choices(
        ["add_column", "add_default", "index", "index_concurrently", "check", "foreign_key",
         "comment", "insert", "rename", "drop_column", "unique"],
        [18, 10, 14, 4, 8, 6, 8, 16, 3, 2, 4])[0]
    c = cols[t]
    if kind == "add_column":
        col, typ = fresh("c"), rng.choice(list(types))
        c[col] = typ
        return f"add_{col}_to_{t}", [f"ALTER TABLE {t} ADD COLUMN {col} {typ};"], []
    if kind == "add_default":
        col = fresh("flag")
        c[col] = "boolean"
        return f"add_{col}_to_{t}", [f"ALTER TABLE {t} ADD COLUMN {col} boolean NOT NULL DEFAULT false;"], []
    if kind in ("index", "index_concurrently", "unique") and c:
        col = rng.choice(list(c))
        idx = f"{t}_{col}_idx"
        if kind == "index":
            return f"index_{t}_{col}", [f"CREATE INDEX IF NOT EXISTS {idx} ON {t} ({col});"], []
        if kind == "unique":
            return f"index_{t}_id_{col}", [f"CREATE UNIQUE INDEX IF NOT EXISTS {t}_id_{col}_key ON {t} (id, {col});"], []
        return (f"index_{t}_{col}_concurrently",
                [f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {idx}_c ON {t} ({col});"],
                ["-- migsafe:no-transaction"])
    if kind == "check":
        ints = [n for n, typ in c.items() if typ in ("integer", "bigint", "numeric(12,2)")]
        if ints:
            col = rng.choice(ints)
            con = fresh(f"{t}_{col}_check")
            return f"check_{t}_{col}", [
                f"ALTER TABLE {t} ADD CONSTRAINT {con} CHECK ({col} >= 0) NOT VALID;",
                f"ALTER TABLE {t} VALIDATE CONSTRAINT {con};"], []
    if kind == "foreign_key" and len(tables) > 1:
        parent = rng.choice([x for x in tables if x != t])
        col = fresh(f"{parent}_ref")  # left NULL by the inserts, so not in cols
        con = f"{t}_{col}_fkey"
        return f"link_{t}_to_{parent}", [
            f"ALTER TABLE {t} ADD COLUMN {col} bigint;",
            f"ALTER TABLE {t} ADD CONSTRAINT {con} FOREIGN KEY ({col}) REFERENCES {parent} (id) NOT VALID;",
            f"ALTER TABLE {t} VALIDATE CONSTRAINT {con};"], []
    if kind == "rename" and c:
        old = rng.choice(list(c))
        new = fresh("r")
        c[new] = c.pop(old)
        return f"rename_{t}_{old}", [f"ALTER TABLE {t} RENAME COLUMN {old} TO {new};"], []
    if kind == "drop_column" and len(c) > 2:
        col = rng.choice(list(c))
        del c[col]
        return f"drop_{t}_{col}", [f"ALTER TABLE {t} DROP COLUMN {col};"], []
    if kind == "comment" and c:
        col = rng.choice(list(c))
        return f"comment_{t}_{col}", [f"COMMENT ON COLUMN {t}.{col} IS 'Set by the {col} form field.';"], []
    return f"seed_{t}", [insert_rows(t) for _ in range(rng.randint(1, 2))], []


statements = 0
for i in range(1, count + 1):
    name, sql, directives = migration()
    statements += len(sql)
    header = [f"-- {name.replace('_', ' ')}"] + directives
    with open(os.path.join(out, f"{i:04d}_{name}.sql"), "w") as f:
        f.write("\n".join(header) + "\n" + "\n".join(sql) + "\n")
print(statements)
