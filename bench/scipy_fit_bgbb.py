#!/usr/bin/python3
"""The SciPy baseline for the BG/BB fit (Fader, Hardie & Shang 2010, eq. 5): the likelihood of
(x, t_x, n) with counts, maximised with L-BFGS-B in log-parameters from alpha = beta = gamma =
delta = 1, numerical gradients.

Usage: /usr/bin/python3 bench/scipy_fit_bgbb.py DATA.csv [--runs N]
       (columns frequency, recency, periods, weights)
Prints one JSON line: the parameters, the total log-likelihood, the best wall time of N fits
(the fit only, on arrays in memory) and the evaluations of the last.
"""

import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, logsumexp


def log_likelihood(log_params, x, tx, n, w):
    a, b, g, d = np.exp(log_params)
    total = 0.0
    for xi, ti, ni, wi in zip(x, tx, n, w):
        terms = [betaln(a + xi, b + ni - xi) - betaln(a, b) + betaln(g, d + ni) - betaln(g, d)]
        for i in range(int(ni - ti)):  # i = 0 … n − t_x − 1
            terms.append(betaln(a + xi, b + ti - xi + i) - betaln(a, b)
                         + betaln(g + 1, d + ti + i) - betaln(g, d))
        total += wi * logsumexp(terms)
    return total


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, ndmin=2)
    x, tx, n, w = data.T
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        res = minimize(lambda p: -log_likelihood(p, x, tx, n, w) / w.sum(), np.zeros(4),
                       method="L-BFGS-B")
        best = min(best, time.perf_counter() - start)
    a, b, g, d = np.exp(res.x)
    print(json.dumps({"alpha": a, "beta": b, "gamma": g, "delta": d,
                      "log_likelihood": log_likelihood(res.x, x, tx, n, w),
                      "best_s": best, "nfev": int(res.nfev), "success": bool(res.success)}))


if __name__ == "__main__":
    main()
