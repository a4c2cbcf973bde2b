#!/usr/bin/python3
"""The SciPy baseline for bench/fit_paretonbd.sh: fit the Pareto/NBD model to an RFM summary
the way an analyst would without `lifetimes` installed.

Usage: /usr/bin/python3 bench/scipy_fit_paretonbd.py SUMMARY.csv [--runs 1]

Reads the columns frequency, recency, T (untimed, into NumPy arrays), then times only the
fit: scipy.optimize.minimize(method="L-BFGS-B") on the negative log-likelihood in
log-parameters, written plainly in NumPy with scipy.special.hyp2f1 (Fader & Hardie 2005,
"A note on deriving the Pareto/NBD model and related expressions", eqs. 22-23, the branch
with the larger of alpha and beta in the 2F1 argument, as lifetimes writes it), on every
customer (no compression into distinct tuples), numerical gradients (SciPy's default
2-point differences), starting at r = s = 1 and alpha = beta = 1 / the crude purchase rate
(sum T / sum x, as cltv starts). The objective is the mean negative log-likelihood per
customer, so SciPy's default tolerances mean the same at any size.

Prints one JSON line: the parameters, the total log-likelihood (sum over customers, no
constants: the number `cltv fit` reports as log_likelihood), the best and mean fit wall
time over --runs runs and the mean CPU time (process_time), function evaluations and
iterations, and SciPy's message.
"""

import argparse
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1


def negative_log_likelihood(log_params, x, tx, T):
    r, alpha, s, beta = np.exp(log_params)
    rho = r + s + x
    if alpha >= beta:
        larger, b2 = alpha, s + 1
    else:
        larger, b2 = beta, r + x
    d = abs(alpha - beta)
    with np.errstate(all="ignore"):
        # ln A0 = ln[f(t_x) - f(T)], f(t) = 2F1(rho, b2; rho+1; d/(larger+t)) / (larger+t)^rho
        log_f_tx = np.log(hyp2f1(rho, b2, rho + 1, d / (larger + tx))) - rho * np.log(larger + tx)
        log_f_T = np.log(hyp2f1(rho, b2, rho + 1, d / (larger + T))) - rho * np.log(larger + T)
        log_a0 = log_f_tx + np.log(-np.expm1(log_f_T - log_f_tx))
        first = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        second = np.log(s) - np.log(rho) + log_a0
        m = np.maximum(first, np.where(tx < T, second, -np.inf))
        ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + m
              + np.log(np.exp(first - m) + np.where(tx < T, np.exp(second - m), 0.0)))
    value = -ll.mean()
    return value if np.isfinite(value) else 1e300


def read_summary(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    col = {name: i for i, name in enumerate(header)}
    try:
        return (data[:, col["frequency"]], data[:, col["recency"]], data[:, col["T"]])
    except KeyError as e:
        sys.exit(f"scipy_fit_paretonbd.py: {path}: no column {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    x, tx, T = read_summary(args.summary)
    scale = np.log(T.sum() / x.sum())
    start_point = np.array([0.0, scale, 0.0, scale])
    times, cpu = [], []
    for _ in range(max(1, args.runs)):
        start, start_cpu = time.perf_counter(), time.process_time()
        res = minimize(negative_log_likelihood, start_point, args=(x, tx, T), method="L-BFGS-B")
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    r, alpha, s, beta = np.exp(res.x)
    print(json.dumps({
        "r": r, "alpha": alpha, "s": s, "beta": beta,
        "log_likelihood": -negative_log_likelihood(res.x, x, tx, T) * x.size,
        "n": int(x.size),
        "best_s": min(times), "mean_s": sum(times) / len(times), "runs": len(times),
        "mean_cpu_s": sum(cpu) / len(cpu),
        "nfev": int(res.nfev), "nit": int(res.nit), "success": bool(res.success),
        "message": str(res.message),
        "versions": f"scipy {scipy.__version__}, numpy {np.__version__}",
    }))


if __name__ == "__main__":
    main()
