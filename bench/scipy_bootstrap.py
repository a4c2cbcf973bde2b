#!/usr/bin/python3
"""The SciPy baseline for bench/bootstrap.sh: bootstrap intervals of BG/NBD + Gamma-Gamma
CLV the way an analyst would write them with SciPy (lifetimes has no bootstrap; CLVTools'
uncertainty = "boots" is R): N times, resample the customers with replacement
(numpy.random.default_rng(seed).integers), refit BG/NBD (bench/scipy_fit_bgnbd.py's
objective, L-BFGS-B from r = alpha = a = b = 1) and Gamma-Gamma (lifetimes' likelihood,
L-BFGS-B from p = q = gamma = 1) on every resampled customer, value every customer of the
original data over 12 months (bench/scipy_clv_bgnbd.py's conditional expectation with
hyp2f1, month by month, times Gamma-Gamma's E[M | x, m]), and take the 5th and 95th
percentiles of each customer's CLV and of the total.

Usage: /usr/bin/python3 bench/scipy_bootstrap.py SUMMARY.csv [--replicates 200] [--seed 1]
           [--unit-days 7]

SUMMARY has columns x (or frequency), t_x (or recency), T and zbar (or monetary_value).
Prints one JSON line: the total CLV, its interval, the replicates fitted, the wall time.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scipy_clv_bgnbd import conditional_expected  # noqa: E402
from scipy_fit_bgnbd import negative_log_likelihood as bgnbd_nll  # noqa: E402


def gamma_gamma_nll(log_params, x, m):
    p, q, v = np.exp(log_params)
    px = p * x
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(m)
          + px * np.log(x) - (px + q) * np.log(x * m + v))
    return -ll.mean()


def read(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    col = {name: i for i, name in enumerate(header)}

    def pick(*names):
        for n in names:
            if n in col:
                return data[:, col[n]]
        sys.exit(f"scipy_bootstrap.py: {path}: no column {names[0]}")
    return pick("x", "frequency"), pick("t_x", "recency"), pick("T"), pick("zbar", "monetary_value")


def value(params, gg, x, tx, T, m, months, per_month):
    r, alpha, a, b = params
    p, q, v = gg
    spend = np.where(x > 0, (q - 1) / (p * x + q - 1) * v * p / (q - 1)
                     + p * x / (p * x + q - 1) * m, p * v / (q - 1))
    clv = np.zeros_like(x)
    previous = np.zeros_like(x)
    for i in range(1, months + 1):
        now = conditional_expected(i * per_month, r, alpha, a, b, x, tx, T)
        clv += (now - previous) * spend
        previous = now
    return clv


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary")
    ap.add_argument("--replicates", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--unit-days", type=float, default=7)
    args = ap.parse_args()
    x, tx, T, m = read(args.summary)
    per_month = 365.25 / 12 / args.unit_days
    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    n = x.size
    values, fitted = [], 0
    for _ in range(args.replicates):
        k = rng.integers(0, n, n)
        bg = minimize(bgnbd_nll, np.zeros(4), args=(x[k], tx[k], T[k]), method="L-BFGS-B")
        rep = k[x[k] > 0]
        gg = minimize(gamma_gamma_nll, np.zeros(3), args=(x[rep], m[rep]), method="L-BFGS-B")
        if not (bg.success and gg.success and np.exp(gg.x[1]) > 1):
            continue
        fitted += 1
        values.append(value(np.exp(bg.x), np.exp(gg.x), x, tx, T, m, 12, per_month))
    v = np.array(values)
    low, high = np.percentile(v, [5, 95], axis=0)
    totals = v.sum(axis=1)
    print(json.dumps({
        "replicates": args.replicates, "fitted": fitted,
        "total_interval": list(np.percentile(totals, [5, 95])),
        "mean_customer_width": float(np.mean(high - low)),
        "wall_s": time.perf_counter() - start,
    }))


if __name__ == "__main__":
    main()
