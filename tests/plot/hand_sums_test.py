#!/usr/bin/python3
"""The plotted numbers of the customer-base charts against sums worked here,
independently of cltv's code, on the small hand-checked log
(tests/data/metrics-small.csv, 8 customers, 2023-09-03 … 2024-04-25).

Usage: hand_sums_test.py CLTV_BINARY SOURCE_DIR

- plot frequency: customers by repeat purchases (distinct purchase weeks − 1);
- plot tracking: repeat purchases per week of the whole base (a customer's
  purchases in one week count once; her first week's do not count);
- plot cohorts --metric revenue: the share of each monthly cohort buying k
  months later, and the cumulative revenue per customer;
- plot matrix: P(alive) cells against BG/NBD's closed form (Fader, Hardie &
  Lee 2005, eq. 9), 1 / (1 + [x > 0] a / (b + x − 1) ((α + T) / (α + t_x))^(r + x)).
Exit 0 all agree, 1 a number differs.
"""
import csv
import datetime as dt
import io
import json
import subprocess
import sys
from collections import defaultdict

cltv, root = sys.argv[1], sys.argv[2]
log = f"{root}/tests/data/metrics-small.csv"
problems = []


def run(*args):
    out = subprocess.run([cltv, "plot", *args], capture_output=True, text=True, cwd=root)
    if out.returncode != 0:
        sys.exit(f"cltv plot {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def close(a, b, what, tol=1e-9):
    if abs(a - b) > tol * max(1.0, abs(b)):
        problems.append(f"{what}: cltv {a}, by hand {b}")


rows = [(r["customer_id"], dt.date.fromisoformat(r["date"]), float(r["amount"]))
        for r in csv.DictReader(open(log))]
monday = lambda d: d - dt.timedelta(days=d.weekday())  # noqa: E731 (weeks start on Monday)

# Frequency: repeat purchase weeks per customer, buckets 0, 1, 2, 3+.
weeks = defaultdict(set)
for c, d, _ in rows:
    weeks[c].add(monday(d))
counts = defaultdict(int)
for c, w in weeks.items():
    counts[min(len(w) - 1, 3)] += 1
got = json.loads(run("frequency", "--log", log, "--freq", "W", "--open-from", "3",
                     "--format", "json"))
for p in got["points"]:
    close(p["actual"], counts[p["repeat_purchases"]], f"frequency {p['repeat_purchases']}")
close(sum(p["expected"] for p in got["points"]), len(weeks), "expected customers", 1e-12)

# Tracking: repeat purchase weeks of the whole base, per week from the first.
first = min(monday(d) for _, d, _ in rows)
repeat = defaultdict(int)
for c, w in weeks.items():
    for week in sorted(w)[1:]:
        repeat[(week - first).days // 7] += 1
table = list(csv.DictReader(io.StringIO(run(
    "tracking", log, "--freq", "W", "--calibration-end", "2024-01-31", "--format", "csv"))))
cumulative = 0
for k, r in enumerate(table):
    cumulative += repeat[k]
    close(float(r["actual"]), repeat[k], f"tracking week {k + 1}")
    close(float(r["actual_cumulative"]), cumulative, f"tracking cumulative week {k + 1}")
close(len(table), (monday(max(d for _, d, _ in rows)) - first).days // 7 + 1, "tracking weeks")

# Cohorts: monthly, by first purchase month.
month = lambda d: d.year * 12 + d.month - 1  # noqa: E731
first_month = {c: min(month(d) for cc, d, _ in rows if cc == c) for c in weeks}
active, revenue, size = defaultdict(set), defaultdict(float), defaultdict(int)
for c, m in first_month.items():
    size[m] += 1
for c, d, a in rows:
    k = month(d) - first_month[c]
    active[(first_month[c], k)].add(c)
    revenue[(first_month[c], k)] += a
table = list(csv.DictReader(io.StringIO(run("cohorts", log, "--metric", "revenue",
                                            "--format", "csv"))))
running = defaultdict(float)
for r in table:
    y, mo = map(int, r["cohort"].split("-"))
    m, k = y * 12 + mo - 1, int(r["period"])
    running[m] += revenue[(m, k)]
    close(float(r["customers"]), size[m], f"cohort {r['cohort']} customers")
    close(float(r["share"]), len(active[(m, k)]) / size[m], f"cohort {r['cohort']} month {k}")
    close(float(r["cumulative_revenue_per_customer"]), running[m] / size[m],
          f"cohort {r['cohort']} revenue to month {k}")

# Matrix: P(alive) of the CDNOW model (weeks) against the closed form.
model = json.load(open(f"{root}/tests/data/model-cdnow-bgnbd-weeks.json"))["parameters"]
r_, alpha, a, b = model["r"], model["alpha"], model["a"], model["b"]
table = list(csv.DictReader(io.StringIO(run(
    "matrix", "tests/data/fit-cdnow-summary-200.csv", "--model",
    "tests/data/model-cdnow-bgnbd-weeks.json", "--format", "csv"))))
T = max(float(r["T"]) for r in csv.DictReader(open(f"{root}/tests/data/fit-cdnow-summary-200.csv")))
for r in table[::37]:
    x, t = float(r["frequency"]), float(r["recency"])
    odds = 0 if x == 0 else a / (b + x - 1) * ((alpha + T) / (alpha + t)) ** (r_ + x)
    close(float(r["p_alive"]), 1 / (1 + odds), f"P(alive) at x {x}, t_x {t}", 1e-9)

for p in problems:
    print(p)
print(f"hand sums: {len(problems)} differences")
sys.exit(1 if problems else 0)
