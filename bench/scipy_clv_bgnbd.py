#!/usr/bin/python3
"""The SciPy baseline for bench/clv_horizon.sh: BG/NBD customer lifetime value over a horizon
of H months, the way lifetimes computes it (`customer_lifetime_value`): for each month i, the
conditional expected purchases up to month i (FHL 2005 eq. 10, with scipy.special.hyp2f1,
vectorised over customers), differenced, times the spend per purchase, discounted by
(1 + d)^i.

Usage: /usr/bin/python3 bench/scipy_clv_bgnbd.py SUMMARY.csv MODEL.json --months H
           [--spend 10] [--discount 0] [--days-per-month 30.4375] [--unit-days 1] [--out CLV.csv]

SUMMARY has columns frequency (or x), recency (or t_x), T; MODEL is `cltv fit bgnbd` JSON.
Prints one JSON line: the wall and CPU time of the computation (not the reading), the sum of
the values, and SciPy's version. --out writes one value a line, for a check against cltv.
"""

import argparse
import json
import sys
import time

import numpy as np
import scipy
from scipy.special import hyp2f1


def conditional_expected(t, r, alpha, a, b, x, tx, T):
    """E[Y(t) | x, t_x, T] for BG/NBD (FHL 2005 eq. 10), vectorised over customers."""
    hyp_term = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    first = (a + b + x - 1) / (a - 1)
    second = 1 - hyp_term * ((alpha + T) / (alpha + t + T)) ** (r + x)
    numerator = first * second
    denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return numerator / denominator


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary")
    ap.add_argument("model")
    ap.add_argument("--months", type=int, required=True)
    ap.add_argument("--spend", type=float, default=10.0)
    ap.add_argument("--discount", type=float, default=0.0)
    ap.add_argument("--days-per-month", type=float, default=30.4375)
    ap.add_argument("--unit-days", type=float, default=1.0)
    ap.add_argument("--out")
    args = ap.parse_args()
    with open(args.summary) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(args.summary, delimiter=",", skiprows=1, ndmin=2)
    col = {name: i for i, name in enumerate(header)}
    pick = lambda *names: data[:, next(col[n] for n in names if n in col)]
    x, tx, T = pick("frequency", "x"), pick("recency", "t_x"), pick("T")
    p = json.load(open(args.model))["parameters"]
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    month = args.days_per_month / args.unit_days
    start, start_cpu = time.perf_counter(), time.process_time()
    value = np.zeros(x.size)
    previous = np.zeros(x.size)
    for i in range(1, args.months + 1):
        e = conditional_expected(i * month, r, alpha, a, b, x, tx, T)
        value += (e - previous) * args.spend / (1 + args.discount) ** i
        previous = e
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if args.out:
        np.savetxt(args.out, value, fmt="%.17g")
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "customers": int(x.size), "months": args.months,
                      "sum": float(value.sum()), "finite": bool(np.isfinite(value).all()),
                      "versions": f"scipy {scipy.__version__}, numpy {np.__version__}"}))


if __name__ == "__main__":
    sys.exit(main())
