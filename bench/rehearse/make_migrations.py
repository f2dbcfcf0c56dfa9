#!/usr/bin/env python3
"""Writes the migration set bench/rehearse rehearses: DIR/NNNN_name.up.sql and
NNNN_name.down.sql (golang-migrate's layout, so every migration has its own down file).

The first TABLES migrations each create a table and fill it with ROWS rows
(generate_series). The others, each valid when applied in order, mix the DDL a schema
history holds, each with a down file that puts the schema and the data back exactly:
  - add a nullable column, or a NOT NULL one with a default; down: drop it
  - CREATE INDEX CONCURRENTLY in a `-- migsafe:no-transaction` file; down: DROP INDEX
  - add a CHECK NOT VALID; down: drop it. Then validate it in the next migration; down:
    drop it and add it back NOT VALID (PostgreSQL cannot mark a constraint not valid)
  - add a column with a foreign key NOT VALID; down: drop both. Then validate it, as above
  - rename a column; down: rename it back
  - change an integer column to bigint, or widen a varchar; down: the old type
  - create a view; down: drop it
  - a batched backfill (`-- migsafe:backfill`) of a nullable integer column added earlier;
    down: set it NULL again
Seeded: every run writes the same files. Prints `MIGRATIONS migrations, N no-transaction,
N backfills`.

usage: make_migrations.py DIR [MIGRATIONS] [TABLES] [ROWS] [BACKFILLS]"""
import os
import random
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
table_count = int(sys.argv[3]) if len(sys.argv) > 3 else 10
rows = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
backfills = int(sys.argv[5]) if len(sys.argv) > 5 else 5
if count < table_count:
    sys.exit("make_migrations.py: MIGRATIONS must be at least TABLES")
rng = random.Random(20261206)
os.makedirs(out, exist_ok=True)

nouns = ["patients", "visits", "invoices", "clinics", "notes", "reviews", "payments",
         "rooms", "devices", "orders"]


class Table:
    def __init__(self, name):
        self.name = name
        self.extra = {}  # added column -> type ("integer", "bigint", "text")
        self.nullable_ints = []  # added nullable integer columns never backfilled
        self.code_length = 20


tables = []
serial = 0
written = []  # (version, name, up, down)


def fresh(prefix):
    global serial
    serial += 1
    return f"{prefix}{serial}"


def emit(name, up, down, header=()):
    version = len(written) + 1
    up_text = "".join(line + "\n" for line in header) + "\n".join(up) + "\n"
    written.append((version, name, up_text, "\n".join(down) + "\n"))


def create_table(index):
    t = Table(f"{nouns[index % len(nouns)]}_{index + 1}")
    tables.append(t)
    emit(f"create_{t.name}", [
        f"CREATE TABLE {t.name} (",
        "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,",
        "    name text NOT NULL,",
        "    qty integer NOT NULL,",
        "    price numeric(10,2),",
        f"    code varchar({t.code_length}),",
        "    created_at timestamptz NOT NULL DEFAULT now()",
        ");",
        # Every value a function of i (no now()): the same rows each time the up runs, so
        # a redo gives the very data the first run gave.
        f"INSERT INTO {t.name} (name, qty, price, code, created_at)",
        f"SELECT 'item ' || i, i % 100, (i % 1000) / 10.0, 'C' || (i % 5000),",
        "       timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute'",
        f"FROM generate_series(1, {rows}) AS i;",
    ], [f"-- migsafe:allow MS-BRK-04 the table and its rows are this migration's own",
        f"DROP TABLE {t.name};"])


def add_nullable(t, typ=None):
    col = fresh("c")
    typ = typ or rng.choice(["integer", "text"])
    t.extra[col] = typ
    if typ == "integer":
        t.nullable_ints.append(col)
    emit(f"add_{t.name}_{col}", [f"ALTER TABLE {t.name} ADD COLUMN {col} {typ};"],
         [f"ALTER TABLE {t.name} DROP COLUMN {col};"])


def add_default(t):
    col = fresh("c")
    t.extra[col] = "integer"
    emit(f"add_{t.name}_{col}_default",
         [f"ALTER TABLE {t.name} ADD COLUMN {col} integer NOT NULL DEFAULT {rng.randint(0, 9)};"],
         [f"-- migsafe:allow MS-BRK-01 the column holds only its default until the next release",
          f"ALTER TABLE {t.name} DROP COLUMN {col};"])


def add_index(t):
    col = rng.choice(list(t.extra) + ["qty", "code", "created_at"])
    index = f"{t.name}_{fresh('i')}_idx"
    emit(f"index_{t.name}_{col}",
         [f"CREATE INDEX CONCURRENTLY {index} ON {t.name} ({col});"],
         [f"DROP INDEX {index};"],
         header=["-- Built without blocking writes: outside a transaction.",
                 "-- migsafe:no-transaction"])


def add_check(t):
    constraint = f"{t.name}_{fresh('k')}_check"
    check = f"CHECK (qty >= {rng.choice([0, -1, -10])})"
    emit(f"check_{t.name}_qty",
         [f"ALTER TABLE {t.name} ADD CONSTRAINT {constraint} {check} NOT VALID;"],
         [f"ALTER TABLE {t.name} DROP CONSTRAINT {constraint};"])
    validate(t, constraint, check)


def validate(t, constraint, definition):
    """The VALIDATE in its own migration (its scan then holds no strong lock). PostgreSQL
    cannot mark a constraint not valid again: the down drops it and adds it back NOT VALID."""
    emit(f"validate_{constraint}",
         [f"ALTER TABLE {t.name} VALIDATE CONSTRAINT {constraint};"],
         [f"ALTER TABLE {t.name} DROP CONSTRAINT {constraint};",
          f"ALTER TABLE {t.name} ADD CONSTRAINT {constraint} {definition} NOT VALID;"])


def rename_column(t):
    if not t.extra:
        return add_nullable(t)
    old = rng.choice(sorted(t.extra))
    new = fresh("c")
    t.extra[new] = t.extra.pop(old)
    if old in t.nullable_ints:
        t.nullable_ints[t.nullable_ints.index(old)] = new
    emit(f"rename_{t.name}_{old}", [f"ALTER TABLE {t.name} RENAME COLUMN {old} TO {new};"],
         [f"ALTER TABLE {t.name} RENAME COLUMN {new} TO {old};"])


def alter_type(t):
    ints = sorted(c for c, typ in t.extra.items() if typ == "integer")
    if ints and rng.random() < 0.6:
        col = rng.choice(ints)
        t.extra[col] = "bigint"
        if col in t.nullable_ints:
            t.nullable_ints.remove(col)
        emit(f"bigint_{t.name}_{col}", [f"ALTER TABLE {t.name} ALTER COLUMN {col} TYPE bigint;"],
             [f"ALTER TABLE {t.name} ALTER COLUMN {col} TYPE integer;"])
        return
    old = t.code_length
    t.code_length += 20
    emit(f"widen_{t.name}_code",
         [f"ALTER TABLE {t.name} ALTER COLUMN code TYPE varchar({t.code_length});"],
         [f"ALTER TABLE {t.name} ALTER COLUMN code TYPE varchar({old});"])


def create_view(t):
    view = f"{t.name}_{fresh('v')}"
    emit(f"view_{view}", [
        f"CREATE VIEW {view} AS",
        f"SELECT id, name, qty FROM {t.name} WHERE qty > {rng.randint(10, 90)};",
    ], [f"DROP VIEW {view};"])


def add_foreign_key(t):
    parent = rng.choice([p for p in tables if p is not t])
    col = fresh(f"{parent.name}_id_")
    constraint = f"{t.name}_{col}_fkey"
    definition = f"FOREIGN KEY ({col}) REFERENCES {parent.name} (id)"
    emit(f"fk_{t.name}_{parent.name}", [
        f"ALTER TABLE {t.name} ADD COLUMN {col} bigint;",
        f"ALTER TABLE {t.name} ADD CONSTRAINT {constraint} {definition} NOT VALID;",
    ], [
        f"ALTER TABLE {t.name} DROP CONSTRAINT {constraint};",
        f"ALTER TABLE {t.name} DROP COLUMN {col};",
    ])
    validate(t, constraint, definition)


def backfill(t):
    if not t.nullable_ints:
        return add_nullable(t, "integer")
    col = t.nullable_ints.pop(0)
    emit(f"backfill_{t.name}_{col}", [
        f"UPDATE {t.name} SET {col} = qty * 2 + 1 WHERE {col} IS NULL;",
    ], [f"UPDATE {t.name} SET {col} = NULL;"],
        header=[f"-- Fill {t.name}.{col} in batches of 1000 rows.",
                "-- migsafe:phase backfill",
                "-- migsafe:backfill key=id batch=1000"])


for i in range(table_count):
    create_table(i)

# The mix of the other migrations, drawn at random; a check and a foreign key are two
# migrations each (added NOT VALID, then validated). The backfills come at evenly spread
# places of the second half, each filling a nullable integer column added before it.
kinds = ([add_nullable] * 32 + [add_default] * 25 + [add_index] * 25 + [add_check] * 25 +
         [rename_column] * 20 + [alter_type] * 20 + [create_view] * 20 + [add_foreign_key] * 15)
two_migrations = (add_check, add_foreign_key)
rest = count - table_count
backfill_at = [table_count + rest // 2 + (k * (rest - rest // 2)) // max(backfills, 1) + 1
               for k in range(backfills)]
while len(written) < count:
    if backfill_at and len(written) + 1 >= backfill_at[0]:
        backfill_at.pop(0)
        ready = [t for t in tables if t.nullable_ints]
        backfill(rng.choice(ready or tables))
        continue
    kind = rng.choice(kinds)
    if kind in two_migrations and count - len(written) < 2:
        kind = add_nullable
    kind(rng.choice(tables))

for version, name, up, down in written:
    with open(os.path.join(out, f"{version:04d}_{name}.up.sql"), "w") as f:
        f.write(up)
    with open(os.path.join(out, f"{version:04d}_{name}.down.sql"), "w") as f:
        f.write(down)

no_transaction = sum(1 for w in written if "migsafe:no-transaction" in w[2])
backfilled = sum(1 for w in written if "migsafe:backfill" in w[2])
print(f"{len(written)} migrations, {no_transaction} no-transaction, {backfilled} backfills")
