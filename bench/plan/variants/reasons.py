#!/usr/bin/env python3
"""Fills the reasons of tests/db/trace/variants-differences.txt (issue 15).

The test (MIGSAFE_UPDATE_GOLDEN=1 MIGSAFE_VARIANTS=all) rewrites the file and marks a new
line `reason?`; this script replaces each `reason?` by the known cause of its template
(REASONS below), and leaves the line as it is when the cause is unknown (the test then
fails until someone writes it). Lines: `<state>/<template> | <what> | <reason>`.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests/db/trace/variants-differences.txt"

SELECT = ("SELECT's reads are not claimed: the plan lists the locks a SELECT takes "
          "(AccessShareLock, RowShareLock FOR UPDATE) but claims full reads only for "
          "statements that change data; PostgreSQL read the small test table sequentially")
JOIN = ("join strategy: whether a joined or subquery table is read whole is PostgreSQL's "
        "planner's choice; the plan reads the target's WHERE columns only (no per-table "
        "conditions in the model)")
INHERIT_INDEX = ("inheritance child: t_kid has none of t's indexes, so a WHERE on an "
                 "indexed column of t still reads t_kid sequentially; the catalog facts "
                 "do not list inheritance children")
PARTITION_FK = ("foreign key into a partitioned table: each partition carries the "
                "referenced side's triggers, so ATTACH / DETACH / CREATE ... PARTITION OF "
                "lock (and DETACH reads) the referencing table; the facts do not tie a "
                "partition to the keys of its parent")
INSERT_SELECT = ("plan gap: INSERT ... SELECT reads its source whole (here t, sequentially) "
                 "and the plan claims no read; claiming every source would disagree where "
                 "PostgreSQL reads it by an index-only scan, which the trace does not count "
                 "(dml-insert-select-parent, dml-cte-insert; docs/trace.md Limits)")
NOT_TRACED = "not traced (see the reason); not compared"

# template -> reason, or a function (state, what) -> reason
REASONS = {
    "dml-select-count": SELECT,
    "dml-select-pk": SELECT,
    "dml-select-join": SELECT,
    "dml-select-exists": SELECT,
    "dml-select-for-update": SELECT,
    "seq-nextval": SELECT,
    "seq-setval": SELECT,
    "dml-delete-cte": ("a data-modifying CTE under SELECT (WITH d AS (DELETE ...) SELECT) "
                       "is kind select: the plan sees the reads, not the DELETE's "
                       "RowExclusiveLock and scan (the model has no data-modifying CTEs)"),
    "dml-update-from": JOIN,
    "dml-update-from-selective": JOIN,
    "dml-update-subquery": JOIN,
    "dml-update-cte": JOIN,
    "dml-delete-using": JOIN,
    "dml-delete-subquery": JOIN,
    "dml-insert-select": INSERT_SELECT,
    "dml-insert-select-parent": JOIN,
    "dml-cte-insert": JOIN,
    "alter-type-same": ("ALTER COLUMN TYPE to the same type rewrites nothing but checks the "
                        "CHECK constraints on the column again (a scan); the facts do not "
                        "say which columns a CHECK names"),
    "create-partition": PARTITION_FK,
    "create-default-partition": PARTITION_FK,
    "attach-partition": PARTITION_FK,
    "attach-partition-checked": PARTITION_FK,
    "detach-partition": PARTITION_FK,
    "drop-partition": ("DROP TABLE of a partition takes AccessExclusiveLock on its parent; "
                       "the catalog facts do not record a partition's parent"),
    "alter-kid-no-inherit": ("NO INHERIT reads the parent's definition (AccessShareLock on "
                             "t); the plan does not name the parent of NO INHERIT"),
    "index-create-only": ("CREATE INDEX ON ONLY a partitioned table builds nothing on the "
                          "partitions; the plan claims the ShareLock and scan of a "
                          "normal build"),
}


def reason_for(variant, what):
    state, template = variant.split("/", 1)
    if what.startswith("not traced"):
        return NOT_TRACED
    if state.startswith("inherited") and template.startswith(("dml-update", "dml-delete")) \
            and template not in REASONS and what.startswith("scans"):
        return INHERIT_INDEX
    reason = REASONS.get(template)
    return reason


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else GOLDEN
    lines = path.read_text().splitlines()
    out = []
    unknown = 0
    for line in lines:
        if line.startswith("#") or not line.endswith("| reason?"):
            out.append(line)
            continue
        variant, what, _ = line.split(" | ", 2)
        reason = reason_for(variant, what)
        if reason is None:
            unknown += 1
            out.append(line)
        else:
            out.append(f"{variant} | {what} | {reason}")
    path.write_text("\n".join(out) + "\n")
    print(f"{path}: {unknown} lines without a known reason")


if __name__ == "__main__":
    main()
