#!/usr/bin/env python3
"""Precision and recall of `migsafe plan` and squawk on bench/plan/realistic.

usage: precision.py CORPUS MIGSAFE_JSON SQUAWK_JSON [SQUAWK_TX_JSON] [--doc FILE --stamp TEXT]

CORPUS is bench/plan/realistic (migrations/ and expected-risks.json); MIGSAFE_JSON is the
output of `migsafe plan --format json CORPUS/migrations`; SQUAWK_JSON is the output of
`squawk --reporter json --pg-version 15 CORPUS/migrations/*/up.sql`, SQUAWK_TX_JSON the same
with --assume-in-transaction (the runner wraps each file). Prints a markdown
report; with --doc, also writes it between the precision markers of that file."""
import json
import os
import re
import sys
from collections import Counter, defaultdict

BL, RW, SC, BR = "blocking-lock", "rewrite", "scan", "breaking"

# Which labelled risk kinds a finding of each rule points at. A rule maps to every kind its
# finding is evidence of (an index built without CONCURRENTLY both scans and blocks
# writes); a rule about style, naming, robustness or re-runnability maps to none, and its
# findings count against precision. The timeout rules (MS-OPS-01/02, squawk's
# require-*-timeout) map to the lock or the long operation they guard: they point at it but
# do not name the cause, so the report also gives recall without them. MS-COL-07 (a type
# change that rewrites) also reads, and names, the tables whose foreign keys go through the
# column: a scan of those.
MIGSAFE_KINDS = {
    "MS-BRK-01": {BR}, "MS-BRK-02": {BR}, "MS-BRK-03": {BR}, "MS-BRK-04": {BR},
    "MS-BRK-05": {BR}, "MS-BRK-06": {BR, BL}, "MS-BRK-07": {BR}, "MS-BRK-08": {BR},
    "MS-BRK-09": {BR, BL},
    "MS-COL-01": {SC, BL}, "MS-COL-02": {BR}, "MS-COL-03": {RW, BL}, "MS-COL-04": {RW, BL},
    "MS-COL-05": {RW, BL}, "MS-COL-06": {RW, BL}, "MS-COL-07": {RW, SC, BR, BL},
    "MS-COL-08": set(), "MS-COL-09": set(), "MS-COL-10": {BR}, "MS-COL-11": set(),
    "MS-CON-01": {SC, BL}, "MS-CON-02": {SC, BL}, "MS-CON-03": {SC, BL},
    "MS-CON-04": {SC, BL}, "MS-CON-05": {SC, BL}, "MS-CON-06": {SC, BL},
    "MS-CON-07": {SC, BL}, "MS-CON-08": {BL}, "MS-CON-09": {SC, BL}, "MS-CON-10": {BL},
    "MS-CON-11": {SC, BL}, "MS-CON-12": {SC, BL},
    "MS-IDX-01": {SC, BL}, "MS-IDX-02": {BL}, "MS-IDX-03": {SC, BL}, "MS-IDX-04": set(),
    "MS-IDX-05": set(), "MS-IDX-06": set(), "MS-IDX-07": {SC, BL}, "MS-IDX-08": set(),
    "MS-MAINT-01": {RW, BL}, "MS-MAINT-02": {BL}, "MS-MAINT-03": {RW, BL},
    "MS-OPS-01": {BL}, "MS-OPS-02": {SC, RW}, "MS-OPS-03": {BL}, "MS-OPS-04": {BL},
    "MS-OPS-05": set(), "MS-OPS-06": set(), "MS-OPS-07": set(), "MS-OPS-08": {BL},
    "MS-OPS-09": set(), "MS-OPS-10": set(),
    # not analysed (the PostgreSQL 15 parser rejects it): planned as the worst case
    "MS-OPS-11": {BL, SC, RW},
    "MS-PART-01": {BL}, "MS-PART-02": {SC, BL},
}
SQUAWK_KINDS = {
    "adding-field-with-default": {RW, BL},
    "adding-foreign-key-constraint": {SC, BL},
    "adding-not-nullable-field": {SC, BL},
    "adding-required-field": {BR},
    "adding-serial-primary-key-field": {RW, SC, BL},
    "ban-alter-domain-with-add-constraint": {SC, BL},
    "ban-drop-column": {BR}, "ban-drop-database": {BR}, "ban-drop-not-null": {BR},
    "ban-drop-table": {BR}, "ban-truncate-cascade": {BR, BL},
    "changing-column-type": {RW, BR, BL},
    "constraint-missing-not-valid": {SC, BL},
    "disallowed-unique-constraint": {SC, BL},
    "renaming-column": {BR}, "renaming-table": {BR},
    "require-concurrent-index-creation": {SC, BL},
    "require-concurrent-index-deletion": {BL},
    "require-concurrent-partition-detach": {BL},
    "require-concurrent-reindex": {SC, BL},
    "require-timeout-settings": {BL}, "require-lock-timeout": {BL},
    "require-statement-timeout": {SC, RW},
}
TIMEOUT_RULES = {"MS-OPS-01", "MS-OPS-02", "require-timeout-settings", "require-lock-timeout",
                 "require-statement-timeout"}
IDENT = re.compile(r'(?:"?[a-z_][a-z0-9_]*"?\.)?"?([a-z_][a-z0-9_]*)"?')


def load(corpus, migsafe_path, squawk_path, squawk_tx_path=None):
    labels = json.load(open(os.path.join(corpus, "expected-risks.json")))["migrations"]
    tables = {r["table"] for risks in labels.values() for r in risks}
    mdir = os.path.join(corpus, "migrations")
    if set(labels) != set(os.listdir(mdir)):
        sys.exit(f"{corpus}: expected-risks.json and migrations/ differ: "
                 f"{sorted(set(labels) ^ set(os.listdir(mdir)))}")
    for folder in labels:
        sql = open(os.path.join(mdir, folder, "up.sql")).read().lower()
        tables |= set(re.findall(r"create (?:materialized view|table|view)(?: if not exists)? ([a-z_0-9]+)", sql))
    findings = {"migsafe": [], "squawk": []}
    squawk_runs = [("squawk", squawk_path)]
    if squawk_tx_path:
        findings["squawk --assume-in-transaction"] = []
        squawk_runs.append(("squawk --assume-in-transaction", squawk_tx_path))
    doc = json.load(open(migsafe_path))
    for s in (doc.get("report") or {}).get("statements", []):
        folder = s["file"].split("/")[-2]
        for f in s["findings"]:
            named = {m for m in IDENT.findall(f["message"]) if m in tables}
            findings["migsafe"].append({"migration": folder, "rule": f["rule"],
                                        "severity": f["severity"], "tables": named,
                                        "kinds": MIGSAFE_KINDS.get(f["rule"], set())})
    for tool, path in squawk_runs:
        for v in json.load(open(path)):
            folder = v["file"].split("/")[-2]
            named = {m for m in IDENT.findall(v["message"]) if m in tables}
            findings[tool].append({"migration": folder, "rule": v["rule_name"],
                                   "severity": v["level"].lower(), "tables": named,
                                   "kinds": SQUAWK_KINDS.get(v["rule_name"], set())})
    return labels, findings


def points_at(f, risk):
    return risk["kind"] in f["kinds"] and (not f["tables"] or risk["table"] in f["tables"])


def measure(labels, found, without_timeouts=False):
    per = defaultdict(list)
    for f in found:
        if not (without_timeouts and f["rule"] in TIMEOUT_RULES):
            per[f["migration"]].append(f)
    missed = []
    total = 0
    for folder, risks in labels.items():
        for r in risks:
            total += 1
            if not any(points_at(f, r) for f in per[folder]):
                missed.append((folder, r))
    return total, missed


def report(labels, findings):
    out = []
    n = len(labels)
    risky = sum(1 for r in labels.values() if r)
    total_risks = sum(len(r) for r in labels.values())
    out.append(f"{n} migrations, {risky} with labelled risks ({total_risks} risks), {n - risky} labelled none.")
    out.append("")
    out.append("| tool | findings | per migration | in migrations labelled none | recall | recall without timeout rules | precision |")
    out.append("|---|---|---|---|---|---|---|")
    details = []
    missed_by = {}
    for tool, found in findings.items():
        total, missed = measure(labels, found)
        _, missed_cause = measure(labels, found, without_timeouts=True)
        pointing = [f for f in found if any(points_at(f, r) for r in labels.get(f["migration"], []))]
        in_none = sum(1 for f in found if not labels.get(f["migration"]))
        prec = 100.0 * len(pointing) / len(found) if found else 0.0
        out.append(f"| {tool} | {len(found)} | {len(found) / n:.2f} | {in_none} | "
                   f"{100.0 * (total - len(missed)) / total:.1f} % ({total - len(missed)}/{total}) | "
                   f"{100.0 * (total - len(missed_cause)) / total:.1f} % | "
                   f"{prec:.1f} % ({len(pointing)}/{len(found)}) |")
        missed_by[tool] = missed
        if tool.startswith("squawk ") and missed == missed_by.get("squawk"):
            details.append(f"**{tool}**: misses the same risks as squawk.")
            details.append("")
            continue
        details.append(f"**{tool}: labelled risks missed ({len(missed)})**")
        details.append("")
        details += [f"- `{m}`: {r['kind']} on {r['table']} ({r['why']})" for m, r in missed] or ["- none"]
        extra = [(m, r) for m, r in missed_cause if (m, r) not in missed]
        if extra:
            details.append(f"- recalled only by a timeout rule: " +
                           ", ".join(f"`{m}` ({r['kind']} on {r['table']})" for m, r in extra))
        details.append("")
        noise = Counter((f["rule"], f["severity"]) for f in found if f not in pointing)
        details.append(f"**{tool}: findings that point at no labelled risk, by rule**: " +
                       ", ".join(f"{rule} ({sev}) {c}" for (rule, sev), c in noise.most_common()))
        details.append("")
    return "\n".join(out + [""] + details)


def main(argv):
    if len(argv) < 4 or argv[1].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    positional = [a for i, a in enumerate(argv[1:], 1)
                  if not a.startswith("--") and argv[i - 1] not in ("--doc", "--stamp")]
    labels, findings = load(*positional[:4])
    text = report(labels, findings)
    print(text)
    if "--doc" in argv:
        doc = argv[argv.index("--doc") + 1]
        stamp = argv[argv.index("--stamp") + 1] if "--stamp" in argv else ""
        body = open(doc).read()
        begin, end = "<!-- precision:begin -->", "<!-- precision:end -->"
        if begin not in body:
            print(f"{doc}: no {begin} marker", file=sys.stderr)
            return 2
        head, rest = body.split(begin, 1)
        tail = rest.split(end, 1)[1]
        open(doc, "w").write(f"{head}{begin}\n{stamp}\n\n{text}\n{end}{tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
