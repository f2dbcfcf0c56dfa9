#!/usr/bin/env python3
"""Statement variants crossed with object states (issue 15), for the trace oracle.

Writes variants.txt (next to this script, or the path given): one block per state, its
setup SQL, then its variants, one statement each:

    ## state <name>
    <setup SQL>
    ## variant <state>/<template>
    <one statement>

Each state is one database (tests/db/trace/test_trace_variants.cpp builds it, ANALYZEs it
and traces every variant in it, each rolled back). Deterministic: same input, same file.
"""

import sys
from pathlib import Path

ROWS = 20

# ---------------------------------------------------------------------------- states
# A state: the shape of `t` (plain, partitioned, inherited), rows or not, indexed or not,
# and the constraints around it (a CHECK valid / NOT VALID / validated, a foreign key out of
# t valid or NOT VALID, a foreign key into t).


class State:
    def __init__(self, shape, rows, indexed, constraint):
        self.shape = shape
        self.rows = rows
        self.indexed = indexed
        self.constraint = constraint

    @property
    def name(self):
        return "-".join(
            [self.shape, "rows" if self.rows else "empty", "idx" if self.indexed else "noidx",
             self.constraint])

    def has(self, feature):
        return feature in self.features()

    def features(self):
        f = {self.shape, self.constraint, "rows" if self.rows else "empty",
             "idx" if self.indexed else "noidx"}
        if self.constraint.startswith("check"):
            f.add("check")
        if self.constraint.startswith("fkout"):
            f.add("fkout")
        return f

    def setup(self):
        out = [
            "CREATE TYPE mood AS ENUM ('sad', 'ok');",
            "CREATE DOMAIN posint AS int;",
            "CREATE SEQUENCE s;",
            "CREATE TABLE parent (id int PRIMARY KEY, name text);",
        ]
        columns = ("id int NOT NULL, a int, b text, c int NOT NULL DEFAULT 1, d timestamptz, "
                   "e varchar(20), p int, m mood, f posint")
        if self.shape == "partitioned":
            out += [
                f"CREATE TABLE t ({columns}, PRIMARY KEY (id)) PARTITION BY RANGE (id);",
                "CREATE TABLE t_p1 PARTITION OF t FOR VALUES FROM (MINVALUE) TO (10);",
                "CREATE TABLE t_p2 PARTITION OF t FOR VALUES FROM (10) TO (100);",
                f"CREATE TABLE t_new ({columns});",
                f"CREATE TABLE t_new_chk ({columns}, CHECK (id >= 100 AND id < 200));",
            ]
        else:
            out.append(f"CREATE TABLE t ({columns}, PRIMARY KEY (id));")
        if self.shape == "inherited":
            out.append("CREATE TABLE t_kid (extra int) INHERITS (t);")
        out += [
            "CREATE TABLE child (id int PRIMARY KEY, t_id int);",
            "CREATE TABLE bare (id int NOT NULL, v int);",
        ]
        if self.indexed:
            out += [
                "CREATE INDEX t_a_idx ON t (a);",
                "CREATE INDEX t_p_idx ON t (p);",
                "CREATE UNIQUE INDEX t_e_key ON t (e, id);",
                "CREATE INDEX child_t_id_idx ON child (t_id);",
                "CREATE UNIQUE INDEX bare_id_key ON bare (id);",
            ]
        c = self.constraint
        if c == "check_valid":
            out.append("ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0);")
        elif c == "check_notvalid":
            out.append("ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;")
        elif c == "check_validated":
            out.append("ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;")
            out.append("ALTER TABLE t VALIDATE CONSTRAINT t_a_check;")
        elif c == "fkout_valid":
            out.append("ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES parent (id);")
        elif c == "fkout_notvalid":
            out.append("ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES parent (id) "
                       "NOT VALID;")
        elif c == "fkin":
            out.append("ALTER TABLE child ADD CONSTRAINT child_t_fk FOREIGN KEY (t_id) "
                       "REFERENCES t (id);")
        out += [
            "CREATE VIEW t_v AS SELECT id FROM t;",
            "CREATE MATERIALIZED VIEW t_mv AS SELECT id, count(*) AS n FROM t GROUP BY id;",
            "CREATE UNIQUE INDEX t_mv_id ON t_mv (id);",
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
            "$$BEGIN RETURN NEW; END$$;",
            "CREATE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
            "CREATE POLICY t_pol ON t USING (true);",
        ]
        if self.rows:
            n = ROWS
            out += [
                f"INSERT INTO parent SELECT i, 'n' || i FROM generate_series(1, {n}) i;",
                f"INSERT INTO t (id, a, b, c, d, e, p, m, f) SELECT i, i, 'v' || i, 1, "
                f"'2020-01-02'::timestamptz + i * interval '1 day', 'e' || i, i, 'ok', i "
                f"FROM generate_series(1, {n}) i;",
                f"INSERT INTO child SELECT i, i FROM generate_series(1, {n}) i;",
                f"INSERT INTO bare SELECT i, i FROM generate_series(1, {n}) i;",
                "REFRESH MATERIALIZED VIEW t_mv;",
            ]
            if self.shape == "inherited":
                out.append(f"INSERT INTO t_kid (id, a, b, c, e, p, m, f) SELECT i, i, 'k', 1, "
                           f"'k' || i, i, 'ok', i FROM generate_series({n + 1}, {n + 5}) i;")
            if self.shape == "partitioned":
                out.append("INSERT INTO t_new (id, a, c) SELECT i, i, 1 "
                           "FROM generate_series(100, 105) i;")
                out.append("INSERT INTO t_new_chk (id, a, c) SELECT i, i, 1 "
                           "FROM generate_series(100, 105) i;")
        return "\n".join(out)


def states():
    result = []
    for rows in (False, True):
        for indexed in (False, True):
            for constraint in ("none", "check_valid", "check_notvalid", "check_validated",
                               "fkout_valid", "fkout_notvalid", "fkin"):
                result.append(State("plain", rows, indexed, constraint))
            for shape in ("partitioned", "inherited"):
                for constraint in ("none", "check_valid", "fkin"):
                    result.append(State(shape, rows, indexed, constraint))
    return result


# ------------------------------------------------------------------------- templates
# (name, SQL, condition): the condition is a set of features the state must all have
# (a leading "!" means must not have); empty: every state.

T = []


def v(name, sql, when=""):
    T.append((name, sql, when.split()))


def alter(name, action, when=""):
    v("alter-" + name, f"ALTER TABLE t {action};", when)


# ALTER TABLE ... ADD COLUMN
alter("add-col", "ADD COLUMN x int")
alter("add-col-const-default", "ADD COLUMN x int DEFAULT 0")
alter("add-col-notnull-default", "ADD COLUMN x int NOT NULL DEFAULT 0")
alter("add-col-notnull", "ADD COLUMN x int NOT NULL")
alter("add-col-text-default", "ADD COLUMN x text DEFAULT 'none'")
alter("add-col-now", "ADD COLUMN x timestamptz DEFAULT now()")
alter("add-col-clock", "ADD COLUMN x timestamptz DEFAULT clock_timestamp()")
alter("add-col-random", "ADD COLUMN x float8 DEFAULT random()")
alter("add-col-uuid", "ADD COLUMN x uuid DEFAULT gen_random_uuid()")
alter("add-col-generated", "ADD COLUMN x int GENERATED ALWAYS AS (a * 2) STORED")
alter("add-col-identity", "ADD COLUMN x bigint GENERATED ALWAYS AS IDENTITY")
alter("add-col-serial", "ADD COLUMN x bigserial")
alter("add-col-nextval", "ADD COLUMN x bigint DEFAULT nextval('s')")
alter("add-col-references", "ADD COLUMN x int REFERENCES parent (id)")
alter("add-col-unique", "ADD COLUMN x int UNIQUE")
alter("add-col-check", "ADD COLUMN x int CHECK (x > 0)")
alter("add-col-enum", "ADD COLUMN x mood DEFAULT 'ok'")
alter("add-col-domain", "ADD COLUMN x posint")
alter("add-col-if-not-exists", "ADD COLUMN IF NOT EXISTS a int")
alter("add-two-cols", "ADD COLUMN x int, ADD COLUMN y text DEFAULT ''")
alter("add-col-and-type", "ADD COLUMN x int, ALTER COLUMN a TYPE bigint")
# DROP COLUMN
alter("drop-col", "DROP COLUMN b")
alter("drop-col-if-exists", "DROP COLUMN IF EXISTS zz")
alter("drop-col-fk", "DROP COLUMN p")
alter("drop-col-indexed", "DROP COLUMN a")
alter("drop-col-cascade", "DROP COLUMN a CASCADE")
# ALTER COLUMN TYPE
alter("type-int-bigint", "ALTER COLUMN a TYPE bigint")
alter("type-same", "ALTER COLUMN a TYPE int")
alter("type-numeric", "ALTER COLUMN a TYPE numeric")
alter("type-text-using", "ALTER COLUMN a TYPE text USING a::text")
alter("type-varchar-longer", "ALTER COLUMN e TYPE varchar(50)")
alter("type-varchar-shorter", "ALTER COLUMN e TYPE varchar(10)")
alter("type-varchar-text", "ALTER COLUMN e TYPE text")
alter("type-text-varchar", "ALTER COLUMN b TYPE varchar(100)")
alter("type-timestamptz-timestamp", "ALTER COLUMN d TYPE timestamp")
alter("type-int-smallint", "ALTER COLUMN c TYPE smallint")
alter("type-enum-text", "ALTER COLUMN m TYPE text")
alter("type-domain-int", "ALTER COLUMN f TYPE int")
alter("type-fk-col", "ALTER COLUMN p TYPE bigint")
# NOT NULL, DEFAULT, other column settings
alter("set-not-null", "ALTER COLUMN a SET NOT NULL")
alter("set-not-null-noop", "ALTER COLUMN c SET NOT NULL")
alter("drop-not-null", "ALTER COLUMN c DROP NOT NULL")
alter("drop-not-null-noop", "ALTER COLUMN a DROP NOT NULL")
alter("set-default", "ALTER COLUMN a SET DEFAULT 5")
alter("set-default-volatile", "ALTER COLUMN a SET DEFAULT (random() * 10)::int")
alter("drop-default", "ALTER COLUMN c DROP DEFAULT")
alter("set-statistics", "ALTER COLUMN a SET STATISTICS 500")
alter("set-storage", "ALTER COLUMN b SET STORAGE EXTERNAL")
alter("set-compression", "ALTER COLUMN b SET COMPRESSION pglz")
alter("set-col-option", "ALTER COLUMN a SET (n_distinct = 10)")
alter("add-identity", "ALTER COLUMN c ADD GENERATED BY DEFAULT AS IDENTITY")
# constraints
alter("add-check", "ADD CONSTRAINT t_x_check CHECK (c > 0)")
alter("add-check-not-valid", "ADD CONSTRAINT t_x_check CHECK (c > 0) NOT VALID")
alter("add-check-not-null", "ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID")
alter("add-fk", "ADD CONSTRAINT t_x_fk FOREIGN KEY (p) REFERENCES parent (id)")
alter("add-fk-not-valid", "ADD CONSTRAINT t_x_fk FOREIGN KEY (p) REFERENCES parent (id) NOT VALID")
alter("add-fk-cascade", "ADD CONSTRAINT t_x_fk FOREIGN KEY (p) REFERENCES parent (id) "
      "ON DELETE CASCADE")
alter("add-unique", "ADD CONSTRAINT t_b_key UNIQUE (b, id)")
alter("add-unique-using-index", "ADD CONSTRAINT t_e_unique UNIQUE USING INDEX t_e_key",
      "idx !partitioned")
alter("add-exclude", "ADD CONSTRAINT t_x_excl EXCLUDE USING btree (id WITH =)")
alter("validate-check", "VALIDATE CONSTRAINT t_a_check", "check")
alter("validate-fk", "VALIDATE CONSTRAINT t_p_fk", "fkout")
alter("drop-check", "DROP CONSTRAINT t_a_check", "check")
alter("drop-fk", "DROP CONSTRAINT t_p_fk", "fkout")
alter("drop-constraint-if-exists", "DROP CONSTRAINT IF EXISTS zz")
alter("drop-pkey-cascade", "DROP CONSTRAINT t_pkey CASCADE")
alter("rename-constraint", "RENAME CONSTRAINT t_pkey TO t_pk")
# renames, storage, other subcommands
alter("rename-column", "RENAME COLUMN b TO bb")
alter("rename-table", "RENAME TO t_renamed")
alter("set-tablespace", "SET TABLESPACE pg_default")
alter("set-unlogged", "SET UNLOGGED", "!fkin !fkout_valid !fkout_notvalid !partitioned")
alter("set-logged", "SET LOGGED", "!partitioned")
alter("set-fillfactor", "SET (fillfactor = 70)", "!partitioned")
alter("reset-fillfactor", "RESET (fillfactor)", "!partitioned")
alter("set-autovacuum", "SET (autovacuum_enabled = false)", "!partitioned")
alter("enable-trigger", "ENABLE TRIGGER t_trg")
alter("disable-trigger", "DISABLE TRIGGER t_trg")
alter("disable-trigger-all", "DISABLE TRIGGER ALL")
alter("cluster-on", "CLUSTER ON t_a_idx", "idx !partitioned")
alter("set-without-cluster", "SET WITHOUT CLUSTER")
alter("replica-identity", "REPLICA IDENTITY FULL")
alter("enable-rls", "ENABLE ROW LEVEL SECURITY")
alter("force-rls", "FORCE ROW LEVEL SECURITY")
alter("owner", "OWNER TO CURRENT_USER")
alter("set-access-method", "SET ACCESS METHOD heap", "!partitioned")
alter("no-inherit", "NO INHERIT parent", "inherited")
v("alter-only-add-check", "ALTER TABLE ONLY t ADD CONSTRAINT t_x_check CHECK (c > 0);",
  "plain")
v("alter-if-exists-missing", "ALTER TABLE IF EXISTS nosuch ADD COLUMN x int;")
v("alter-kid-no-inherit", "ALTER TABLE t_kid NO INHERIT t;", "inherited")
v("alter-bare-add-pk", "ALTER TABLE bare ADD PRIMARY KEY (id);")
v("alter-bare-add-pk-using-index", "ALTER TABLE bare ADD CONSTRAINT bare_pk PRIMARY KEY "
  "USING INDEX bare_id_key;", "idx")
v("alter-child-add-fk", "ALTER TABLE child ADD CONSTRAINT child_x_fk FOREIGN KEY (t_id) "
  "REFERENCES t (id);")
v("alter-child-add-fk-not-valid", "ALTER TABLE child ADD CONSTRAINT child_x_fk FOREIGN KEY "
  "(t_id) REFERENCES t (id) NOT VALID;")
v("alter-child-validate-fk", "ALTER TABLE child VALIDATE CONSTRAINT child_t_fk;", "fkin")
v("alter-child-drop-fk", "ALTER TABLE child DROP CONSTRAINT child_t_fk;", "fkin")
v("alter-parent-drop-pkey-cascade", "ALTER TABLE parent DROP CONSTRAINT parent_pkey CASCADE;")
v("alter-parent-type", "ALTER TABLE parent ALTER COLUMN id TYPE bigint;")
# partitions
v("attach-partition", "ALTER TABLE t ATTACH PARTITION t_new FOR VALUES FROM (100) TO (200);",
  "partitioned")
v("attach-partition-checked", "ALTER TABLE t ATTACH PARTITION t_new_chk FOR VALUES FROM (100) "
  "TO (200);", "partitioned")
v("detach-partition", "ALTER TABLE t DETACH PARTITION t_p2;", "partitioned")
v("detach-partition-concurrently", "ALTER TABLE t DETACH PARTITION t_p2 CONCURRENTLY;",
  "partitioned")
v("create-partition", "CREATE TABLE t_p3 PARTITION OF t FOR VALUES FROM (200) TO (300);",
  "partitioned")
v("drop-partition", "DROP TABLE t_p2;", "partitioned")
v("create-default-partition", "CREATE TABLE t_pd PARTITION OF t DEFAULT;", "partitioned")
# indexes
v("index-create", "CREATE INDEX t_x_idx ON t (c);")
v("index-create-unique", "CREATE UNIQUE INDEX t_x_idx ON t (id, c);")
v("index-create-expression", "CREATE INDEX t_x_idx ON t (lower(b));")
v("index-create-partial", "CREATE INDEX t_x_idx ON t (c) WHERE a > 0;")
v("index-create-include", "CREATE INDEX t_x_idx ON t (c) INCLUDE (b);")
v("index-create-hash", "CREATE INDEX t_x_idx ON t USING hash (b);")
v("index-create-brin", "CREATE INDEX t_x_idx ON t USING brin (d);")
v("index-create-if-not-exists", "CREATE INDEX IF NOT EXISTS t_a_idx ON t (a);")
v("index-create-only", "CREATE INDEX t_x_idx ON ONLY t (c);", "partitioned")
v("index-create-concurrently", "CREATE INDEX CONCURRENTLY t_x_idx ON t (c);")
v("index-create-child", "CREATE INDEX child_x_idx ON child (t_id);")
v("index-drop", "DROP INDEX t_a_idx;", "idx")
v("index-drop-if-exists", "DROP INDEX IF EXISTS nosuch_idx;")
v("index-drop-concurrently", "DROP INDEX CONCURRENTLY t_a_idx;", "idx !partitioned")
v("index-drop-unique", "DROP INDEX t_e_key;", "idx")
v("index-rename", "ALTER INDEX t_a_idx RENAME TO t_a_idx2;", "idx")
v("index-set", "ALTER INDEX t_a_idx SET (fillfactor = 50);", "idx !partitioned")
v("index-reindex", "REINDEX INDEX t_pkey;")
v("index-reindex-table", "REINDEX TABLE t;")
v("index-reindex-concurrently", "REINDEX INDEX CONCURRENTLY t_pkey;", "!partitioned")
# views and materialized views
v("view-create", "CREATE VIEW t_v2 AS SELECT id, a FROM t;")
v("view-create-join", "CREATE VIEW t_v2 AS SELECT t.id, parent.name FROM t "
  "JOIN parent ON parent.id = t.p;")
v("view-replace", "CREATE OR REPLACE VIEW t_v AS SELECT id FROM t;")
v("view-drop", "DROP VIEW t_v;")
v("view-rename", "ALTER VIEW t_v RENAME TO t_v3;")
v("matview-create", "CREATE MATERIALIZED VIEW t_mv2 AS SELECT id, a FROM t;")
v("matview-create-no-data", "CREATE MATERIALIZED VIEW t_mv2 AS SELECT id, a FROM t "
  "WITH NO DATA;")
v("matview-refresh", "REFRESH MATERIALIZED VIEW t_mv;")
v("matview-refresh-concurrently", "REFRESH MATERIALIZED VIEW CONCURRENTLY t_mv;", "rows")
v("matview-drop", "DROP MATERIALIZED VIEW t_mv;")
v("matview-rename", "ALTER MATERIALIZED VIEW t_mv RENAME TO t_mv3;")
v("matview-index", "CREATE INDEX t_mv_n ON t_mv (n);")
v("table-as", "CREATE TABLE t_copy AS SELECT * FROM t;")
v("table-like", "CREATE TABLE t_like (LIKE t INCLUDING ALL);")
v("table-create-fk", "CREATE TABLE t_ref (id int PRIMARY KEY, t_id int REFERENCES t (id));")
# sequences
v("seq-create", "CREATE SEQUENCE s2;")
v("seq-restart", "ALTER SEQUENCE s RESTART WITH 100;")
v("seq-owned-by", "ALTER SEQUENCE s OWNED BY t.id;")
v("seq-drop", "DROP SEQUENCE s;")
v("seq-nextval", "SELECT nextval('s');")
v("seq-setval", "SELECT setval('s', 10);")
# types and domains
v("enum-add-value", "ALTER TYPE mood ADD VALUE 'happy';")
v("enum-add-value-before", "ALTER TYPE mood ADD VALUE 'angry' BEFORE 'sad';")
v("enum-add-value-if-not-exists", "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';")
v("enum-rename-value", "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';")
v("enum-rename", "ALTER TYPE mood RENAME TO feeling;")
v("type-create", "CREATE TYPE pair AS (x int, y int);")
v("type-drop-used", "DROP TYPE mood;")
v("domain-create", "CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 10);")
v("domain-add-check", "ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0);")
v("domain-add-check-not-valid", "ALTER DOMAIN posint ADD CONSTRAINT posint_check "
  "CHECK (VALUE > 0) NOT VALID;")
v("domain-set-not-null", "ALTER DOMAIN posint SET NOT NULL;", "empty")
v("domain-set-default", "ALTER DOMAIN posint SET DEFAULT 1;")
v("domain-drop", "DROP DOMAIN posint CASCADE;")
# triggers, functions, policies
v("trigger-create", "CREATE TRIGGER t_trg2 BEFORE INSERT ON t FOR EACH ROW "
  "EXECUTE FUNCTION touch();")
v("trigger-replace", "CREATE OR REPLACE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW "
  "EXECUTE FUNCTION touch();")
v("trigger-drop", "DROP TRIGGER t_trg ON t;")
v("trigger-rename", "ALTER TRIGGER t_trg ON t RENAME TO t_trg3;")
v("function-replace", "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql "
  "AS $$BEGIN RETURN NEW; END$$;")
v("policy-create", "CREATE POLICY t_pol2 ON t FOR SELECT USING (a > 0);")
v("policy-alter", "ALTER POLICY t_pol ON t USING (a > 1);")
v("policy-drop", "DROP POLICY t_pol ON t;")
# tables
v("table-drop", "DROP TABLE t;")
v("table-drop-cascade", "DROP TABLE t CASCADE;")
v("table-drop-child", "DROP TABLE child;")
v("table-drop-parent-cascade", "DROP TABLE parent CASCADE;")
v("truncate", "TRUNCATE t;", "!fkin")
v("truncate-cascade", "TRUNCATE t CASCADE;")
v("truncate-child", "TRUNCATE child;")
v("lock-share", "LOCK TABLE t IN SHARE MODE;")
v("lock-default", "LOCK TABLE t;")
v("comment", "COMMENT ON TABLE t IS 'the t';")
v("comment-column", "COMMENT ON COLUMN t.a IS 'the a';")
v("grant", "GRANT SELECT ON t TO PUBLIC;")
v("analyze", "ANALYZE t;")
v("vacuum", "VACUUM t;")
v("cluster", "CLUSTER t USING t_pkey;", "!partitioned")
# DML shapes
v("dml-update-all", "UPDATE t SET a = a + 1;")
v("dml-update-pk", "UPDATE t SET a = 1 WHERE id = 1;")
v("dml-update-col", "UPDATE t SET b = 'x' WHERE a = 1;")
v("dml-update-range", "UPDATE t SET b = 'x' WHERE id > 5;")
v("dml-update-from", "UPDATE t SET b = parent.name FROM parent WHERE parent.id = t.p;")
v("dml-update-from-selective", "UPDATE t SET b = parent.name FROM parent "
  "WHERE parent.id = t.p AND t.id = 1;")
v("dml-update-subquery", "UPDATE t SET b = 'x' WHERE p IN (SELECT id FROM parent "
  "WHERE name = 'n1');")
v("dml-update-cte", "WITH old AS (SELECT id FROM t WHERE a > 5) UPDATE t SET b = 'x' "
  "FROM old WHERE old.id = t.id;")
v("dml-update-fk-col", "UPDATE t SET p = 2 WHERE id = 1;")
v("dml-update-parent-key", "UPDATE parent SET id = id + 100 WHERE id = 1;")
v("dml-delete-all", "DELETE FROM t;", "!fkin")
v("dml-delete-pk", "DELETE FROM t WHERE id = 1;")
v("dml-delete-col", "DELETE FROM t WHERE a = 1;")
v("dml-delete-using", "DELETE FROM t USING parent WHERE parent.id = t.p AND parent.name = 'n1';")
v("dml-delete-subquery", "DELETE FROM t WHERE p IN (SELECT id FROM parent WHERE name = 'n1');")
v("dml-delete-cte", "WITH gone AS (DELETE FROM t WHERE id = 1 RETURNING id) "
  "SELECT count(*) FROM gone;")
v("dml-delete-parent", "DELETE FROM parent WHERE id = 1;")
v("dml-delete-child", "DELETE FROM child WHERE id = 1;")
v("dml-insert-values", "INSERT INTO t (id, a, c) VALUES (1000, 1, 1) ON CONFLICT DO NOTHING;",
  "!partitioned")
v("dml-insert-values-p", "INSERT INTO t (id, a, c) VALUES (50, 1, 1) ON CONFLICT DO NOTHING;",
  "partitioned")
v("dml-insert-select", "INSERT INTO t (id, a, c) SELECT id + 1000, a, c FROM t;",
  "!partitioned")
v("dml-insert-select-parent", "INSERT INTO child (id, t_id) SELECT id + 1000, id FROM parent;",
  "!fkin")
v("dml-insert-upsert", "INSERT INTO t (id, a, c) VALUES (1, 1, 1) ON CONFLICT (id) "
  "DO UPDATE SET a = EXCLUDED.a;")
v("dml-insert-child", "INSERT INTO child VALUES (1000, 1);", "!fkin")
v("dml-select-count", "SELECT count(*) FROM t;")
v("dml-select-pk", "SELECT * FROM t WHERE id = 1;")
v("dml-select-join", "SELECT t.id, parent.name FROM t JOIN parent ON parent.id = t.p;")
v("dml-select-exists", "SELECT 1 FROM parent WHERE EXISTS (SELECT 1 FROM t WHERE t.p = "
  "parent.id);")
v("dml-select-for-update", "SELECT * FROM t WHERE id = 1 FOR UPDATE;")
v("dml-cte-insert", "WITH src AS (SELECT id FROM parent) INSERT INTO bare (id, v) "
  "SELECT id, 0 FROM src;")


def applies(state, when):
    for cond in when:
        if cond.startswith("!"):
            if state.has(cond[1:]):
                return False
        elif not state.has(cond):
            return False
    return True


def main():
    out_path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("variants.txt")
    lines = ["# generated by bench/plan/variants/generate.py: do not edit by hand"]
    count = 0
    for state in states():
        lines.append(f"## state {state.name}")
        lines.append(state.setup())
        for name, sql, when in T:
            if applies(state, when):
                lines.append(f"## variant {state.name}/{name}")
                lines.append(sql)
                count += 1
    out_path.write_text("\n".join(lines) + "\n")
    print(f"{len(states())} states, {count} variants -> {out_path}")


if __name__ == "__main__":
    main()
