#!/usr/bin/env python3
"""The SQL cltv writes for engines that cannot run here parses in that engine's grammar.

Usage: dialect_parse_test.py CLTV WORKDIR NODE_MODULES

BigQuery, Snowflake, Trino and Spark SQL run in the cloud or on a cluster, not
on a test machine, so their queries are parsed, not executed: node-sql-parser
(tests/package.json pins it) in its bigquery, snowflake and trino modes, and
in hive mode for Spark SQL. Every `cltv sql` query shape is emitted for each
dialect (every --freq, the splits, --tuples, --spend, --counts, --no-amount,
refunds, hostile names, score with closed forms, predictions joined and CLV)
and must parse. Exit 77 (skipped) without node, except under CI=true.
"""
import json
import os
import shutil
import subprocess
import sys

cltv, workdir, node_modules = sys.argv[1:4]
os.makedirs(workdir, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(os.path.dirname(here), "data")

if not shutil.which("node") or not os.path.isdir(os.path.join(node_modules, "node-sql-parser")):
    print("skipped: node or node-sql-parser is not installed (the node/install fixture)")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)

# The parser's mode for each dialect: Spark SQL's grammar is Hive's.
modes = {"bigquery": "bigquery", "snowflake": "snowflake", "trino": "trino", "spark": "hive"}

summarize_options = [
    [], ["--freq", "W"], ["--freq", "M"], ["--freq", "Y"],
    ["--observation-end", "2024-03-31"],
    ["--freq", "W", "--time-unit", "days"],
    ["--calibration-end", "2024-02-29", "--observation-end", "2024-03-31", "--freq", "W"],
    ["--calibration-periods", "30"], ["--calibration-periods", "5", "--freq", "M"],
    ["--calibration-periods", "2", "--freq", "Y", "--observation-end", "2024-03-31"],
    ["--allow-refunds"], ["--no-amount"],
    ["--tuples", "--freq", "W", "--time-unit", "weeks"], ["--spend"], ["--counts"],
    ["--counts", "--no-amount", "--calibration-end", "2024-02-29"],
    # Names that need quoting (spaces, a dot inside the table's schema, a
    # keyword, non-ASCII); a quote character inside a name is escaped too, but
    # node-sql-parser does not take the escapes (the unit tests check them).
    ["--table", "analytics.order items", "--customer-col", "user id", "--date-col", "select",
     "--amount-col", "montant €"],
]
score_options = [
    ["--freq", "W", "--time-unit", "weeks", "--model", "model-cdnow-bgnbd-weeks.json",
     "--model", "model-cdnow-gamma-gamma.json"],
    ["--model", "model-cdnow-mbgnbd.json", "--observation-end", "2024-06-30"],
    ["--freq", "W", "--model", "model-cdnow-pareto-nbd.json", "--predictions", "predictions"],
    ["--freq", "W", "--time-unit", "weeks", "--model", "model-cdnow-bgnbd.json", "--model",
     "model-cdnow-gamma-gamma.json", "--predictions", "analytics.predictions", "--clv",
     "--gross-margin", "30%"],
]

items = []
failures = []
for dialect, mode in modes.items():
    cases = [("summarize", o) for o in summarize_options] + [("score", o) for o in score_options]
    for n, (query, options) in enumerate(cases):
        args = [a if not a.endswith(".json") else os.path.join(data, a) for a in options]
        if "--table" not in args:
            args = ["--table", "orders"] + args
        # Every date column type in turn: each has its own UTC-day expression.
        date_type = ("date", "timestamp", "timestamptz")[n % 3]
        args += ["--date-type", date_type]
        label = f"{dialect} {query} {' '.join(options)} --date-type {date_type}"
        p = subprocess.run([cltv, "sql", query, "--dialect", dialect] + args, capture_output=True,
                           text=True)
        if p.returncode != 0:
            failures.append(f"{label}: cltv exited with {p.returncode}: {p.stderr.strip()}")
            continue
        path = os.path.join(workdir, f"{dialect}-{query}-{n}.sql")
        with open(path, "w") as f:
            f.write(p.stdout)
        items.append({"label": label, "mode": mode, "file": path})

listing = os.path.join(workdir, "queries.json")
with open(listing, "w") as f:
    json.dump(items, f)
p = subprocess.run(["node", os.path.join(here, "parse_queries.cjs"), node_modules, listing],
                   capture_output=True, text=True)
print(p.stdout, end="")
if p.returncode != 0:
    failures.append("node-sql-parser rejected some queries (FAIL lines above)"
                    + (f": {p.stderr.strip()}" if p.stderr.strip() else ""))
for f in failures:
    print(f"FAIL {f}")
print(f"{len(items)} queries in {len(modes)} dialects parsed; {len(failures)} failures")
sys.exit(1 if failures else 0)
