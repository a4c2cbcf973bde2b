#!/usr/bin/python3
"""Check that two RFM summary CSVs agree, as sets of rows keyed by customer_id.

Usage: /usr/bin/python3 bench/compare_summaries.py A.csv B.csv [--names cltv,pandas]
           [--rel 1e-9] [--abs 1e-6] [--show 10]

Both files need the columns customer_id, frequency, recency, T, monetary_value
(any order, extra columns ignored). Row order does not matter. They agree when:
  - the same customer ids appear, each once;
  - frequency, recency and T are numerically equal (36 and 36.0 are equal:
    lifetimes writes floats, cltv integers);
  - monetary_value is within a relative 1e-9 or an absolute 1e-6.
Prints one verdict line on stdout; on a mismatch the first differences go to
stderr and the exit status is 1 (2 for unreadable input). Plain csv module, no
pandas, so it does not share code paths with the baseline it checks.
"""

import argparse
import csv
import math
import sys

COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary_value")


class BadInput(Exception):
    pass


def load(path: str) -> dict:
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            raise BadInput(f"{path}: empty file") from None
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise BadInput(f"{path}: missing column(s) {', '.join(missing)} (header: {','.join(header)})")
        pos = [header.index(c) for c in COLUMNS]
        for line_no, rec in enumerate(reader, 2):
            if not rec:
                continue
            try:
                key = rec[pos[0]]
                values = tuple(float(rec[p]) for p in pos[1:])
            except (IndexError, ValueError) as e:
                raise BadInput(f"{path}:{line_no}: bad row {rec!r} ({e})") from None
            if key in rows:
                raise BadInput(f"{path}:{line_no}: customer {key!r} appears twice")
            rows[key] = values
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--names", default=None, help="labels for A and B (default: the paths)")
    parser.add_argument("--rel", type=float, default=1e-9, help="relative tolerance on monetary_value")
    parser.add_argument("--abs", type=float, default=1e-6, help="absolute tolerance on monetary_value")
    parser.add_argument("--show", type=int, default=10, help="differences to show (default 10)")
    args = parser.parse_args()
    na, nb = args.names.split(",", 1) if args.names else (args.a, args.b)

    try:
        a, b = load(args.a), load(args.b)
    except (OSError, BadInput) as e:
        print(f"compare_summaries: {e}", file=sys.stderr)
        return 2

    diffs = []
    only_a = [k for k in a if k not in b]
    only_b = [k for k in b if k not in a]
    for k in only_a[:args.show]:
        diffs.append(f"customer {k!r}: only in {na}")
    for k in only_b[:args.show]:
        diffs.append(f"customer {k!r}: only in {nb}")

    n_bad = len(only_a) + len(only_b)
    worst = (0.0, None)  # largest relative monetary difference
    for k, va in a.items():
        vb = b.get(k)
        if vb is None:
            continue
        bad = [f"{c} {x!r} vs {y!r}" for c, x, y in zip(COLUMNS[1:4], va[:3], vb[:3]) if x != y]
        ma, mb = va[3], vb[3]
        d = abs(ma - mb)
        rel = d / max(abs(ma), abs(mb)) if d else 0.0
        if rel > worst[0]:
            worst = (rel, k)
        if not (d <= args.abs or rel <= args.rel) or math.isnan(ma) != math.isnan(mb):
            bad.append(f"monetary_value {ma!r} vs {mb!r} (abs {d:.3g}, rel {rel:.3g})")
        if bad:
            n_bad += 1
            if len(diffs) < 3 * args.show:
                diffs.append(f"customer {k!r}: " + "; ".join(bad))

    if n_bad:
        print(f"{na} ({len(a):,} customers) vs {nb} ({len(b):,} customers):", file=sys.stderr)
        print("\n".join(f"  {d}" for d in diffs), file=sys.stderr)
        print(f"MISMATCH: {n_bad:,} customer(s) differ ({len(only_a):,} only in {na}, "
              f"{len(only_b):,} only in {nb})")
        return 1
    print(f"ok: {len(a):,} customers agree ({na} vs {nb}); frequency/recency/T equal, "
          f"largest relative monetary_value difference {worst[0]:.2g}"
          + (f" (customer {worst[1]})" if worst[1] is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
