#!/usr/bin/python3
"""The SciPy baseline for the Gamma-Gompertz/NBD fit (Bemmaor & Glady 2012): the same likelihood
as cltv's, written with NumPy (the integral over the time of death by a 16-node Gauss-Legendre
rule, vectorised over customers), maximised with L-BFGS-B in log-parameters from the same start
cltv uses (its Pareto/NBD limit, b = 1/T_max), numerical gradients.

Usage: /usr/bin/python3 bench/scipy_fit_ggomnbd.py SUMMARY.csv START.json [--runs N]
       SUMMARY: columns frequency,recency,T (weeks); START: {"r","alpha","s","beta"} of a
       Pareto/NBD fit (`cltv fit pareto-nbd SUMMARY`)
Prints one JSON line: the parameters, the log-likelihood, the best wall time of the fit only.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

nodes, weights = np.polynomial.legendre.leggauss(16)  # as cltv, one panel (CDNOW: b ~ 0)


def log_likelihood(log_params, x, tx, T):
    r, alpha, b, s, beta = np.exp(log_params)
    rx = r + x
    alive = s * (np.log(beta) - np.log(beta + np.expm1(b * T))) - rx * np.log(alpha + T)
    half, mid = (T - tx) / 2, (T + tx) / 2
    tau = mid[:, None] + half[:, None] * nodes[None, :]
    with np.errstate(divide="ignore"):
        death = (np.log(s) + np.log(b) + s * np.log(beta) + b * tau
                 - (s + 1) * np.log(beta + np.expm1(b * tau)) - rx[:, None] * np.log(alpha + tau)
                 + np.log(half[:, None] * weights[None, :]))
    death[half == 0] = -np.inf
    terms = np.concatenate([alive[:, None], death], axis=1)
    top = terms.max(axis=1)
    ll = gammaln(rx) - gammaln(r) + r * np.log(alpha) + top + np.log(np.exp(terms - top[:, None]).sum(axis=1))
    return ll.sum()


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    data = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
    x, tx, T = data["frequency"], data["recency"], data["T"]
    start = json.load(open(sys.argv[2]))["parameters"]
    b0 = 1 / T.max()
    x0 = np.log([start["r"], start["alpha"], b0, 1.0, b0 * start["beta"] / start["s"]])
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        res = minimize(lambda p: -log_likelihood(p, x, tx, T) / len(x), x0, method="L-BFGS-B")
        best = min(best, time.perf_counter() - t0)
    r, alpha, b, s, beta = np.exp(res.x)
    print(json.dumps({"r": r, "alpha": alpha, "b": b, "s": s, "beta": beta,
                      "log_likelihood": log_likelihood(res.x, x, tx, T), "best_s": best,
                      "nfev": int(res.nfev), "success": bool(res.success)}))


if __name__ == "__main__":
    main()
