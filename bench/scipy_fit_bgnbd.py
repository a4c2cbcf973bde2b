#!/usr/bin/python3
"""The SciPy baseline for bench/fit_bgnbd.sh: fit the BG/NBD model to an RFM summary the way
an analyst would without `lifetimes` installed.

Usage: /usr/bin/python3 bench/scipy_fit_bgnbd.py SUMMARY.csv [--runs 1]

Reads the columns frequency, recency, T (untimed, into NumPy arrays), then times only the
fit: scipy.optimize.minimize(method="L-BFGS-B") on the negative log-likelihood in
log-parameters, written plainly in NumPy (the formula `lifetimes` uses: FHL 2005 eq. 6 with
gammaln and a log-sum-exp of the two terms), on every customer (no compression into
distinct tuples), numerical gradients (SciPy's default 2-point differences), starting at
r = alpha = a = b = 1. Like lifetimes, the objective is the mean negative log-likelihood
per customer, so SciPy's default tolerances mean the same at any size.

Prints one JSON line: the parameters, the total log-likelihood (sum over customers, no
constants: the number `cltv fit` reports as log_likelihood), the best, mean and median fit wall
time over --runs runs and the mean CPU time (process_time), function evaluations and iterations, and SciPy's message.
"""

import argparse
import json
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln


def negative_log_likelihood(log_params, x, tx, T):
    r, alpha, a, b = np.exp(log_params)
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    A3 = -(r + x) * np.log(alpha + T)
    # For x = 0 the second term is absent; b + max(x, 1) - 1 keeps its log finite.
    A4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx)
    m = np.maximum(A3, A4)
    ll = A1 + A2 + m + np.log(np.exp(A3 - m) + (x > 0) * np.exp(A4 - m))
    return -ll.mean()


def read_summary(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    col = {name: i for i, name in enumerate(header)}
    try:
        return (data[:, col["frequency"]], data[:, col["recency"]], data[:, col["T"]])
    except KeyError as e:
        sys.exit(f"scipy_fit_bgnbd.py: {path}: no column {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    x, tx, T = read_summary(args.summary)
    times, cpu = [], []
    for _ in range(max(1, args.runs)):
        start, start_cpu = time.perf_counter(), time.process_time()
        res = minimize(negative_log_likelihood, np.zeros(4), args=(x, tx, T),  # ln 1: r = alpha = a = b = 1
                       method="L-BFGS-B")
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    r, alpha, a, b = np.exp(res.x)
    print(json.dumps({
        "r": r, "alpha": alpha, "a": a, "b": b,
        "log_likelihood": -negative_log_likelihood(res.x, x, tx, T) * x.size,
        "n": int(x.size),
        "best_s": min(times), "mean_s": sum(times) / len(times),
        "median_s": statistics.median(times), "runs": len(times),
        "mean_cpu_s": sum(cpu) / len(cpu),
        "nfev": int(res.nfev), "nit": int(res.nit), "success": bool(res.success),
        "message": str(res.message),
        "versions": f"scipy {scipy.__version__}, numpy {np.__version__}",
    }))


if __name__ == "__main__":
    main()
