#!/usr/bin/python3
"""The SciPy baseline for bench/fit_covariates.sh: fit the Pareto/NBD model with static
covariates (CLVTools' parameterisation: alpha_i = alpha exp(-g_trans z), beta_i = beta
exp(-g_life z)) the way an analyst would in Python.

Usage: /usr/bin/python3 bench/scipy_fit_covariates.py SUMMARY.csv COVARIATES.csv
           --columns Gender,Channel [--runs 1]

Reads the summary (customer_id, frequency, recency, T) and the covariates, joined on
customer_id (untimed), then times the fit as `cltv fit pareto-nbd --covariates` does it:
first the model without covariates (its start, and the likelihood-ratio test's restricted
model), then the model with a coefficient per covariate and process from there (all
coefficients 0). Both are scipy.optimize.minimize(method="L-BFGS-B") on the mean negative
log-likelihood per customer in (ln r, ln alpha, ln s, ln beta, gammas), written plainly in
NumPy with scipy.special.hyp2f1 (Fader & Hardie 2005, eqs. 22-23, both branches, customer
by customer since alpha_i and beta_i differ), with numerical gradients (SciPy's default).

Prints one JSON line: the estimates, the total log-likelihood, the best, median and mean wall
time over --runs runs (both fits), evaluations, and SciPy's message.
"""

import argparse
import json
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1


def log_likelihood(r, alpha, s, beta, x, tx, T):
    rho = r + s + x
    use_alpha = alpha >= beta
    larger = np.where(use_alpha, alpha, beta)
    b2 = np.where(use_alpha, s + 1, r + x)
    gap = np.abs(alpha - beta)
    with np.errstate(all="ignore"):
        log_f_tx = np.log(hyp2f1(rho, b2, rho + 1, gap / (larger + tx))) - rho * np.log(larger + tx)
        log_f_T = np.log(hyp2f1(rho, b2, rho + 1, gap / (larger + T))) - rho * np.log(larger + T)
        log_a0 = log_f_tx + np.log(-np.expm1(log_f_T - log_f_tx))
        first = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        second = np.where(tx < T, np.log(s) - np.log(rho) + log_a0, -np.inf)
        return (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
                + np.logaddexp(first, second))


def objective(v, x, tx, T, z):
    k = z.shape[1]
    r, alpha, s, beta = np.exp(v[:4])
    if k:
        alpha = alpha * np.exp(-(z @ v[4:4 + k]))
        beta = beta * np.exp(-(z @ v[4 + k:]))
    value = -log_likelihood(r, alpha, s, beta, x, tx, T).mean()
    return value if np.isfinite(value) else 1e300


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary")
    ap.add_argument("covariates")
    ap.add_argument("--columns", required=True)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    columns = args.columns.split(",")
    with open(args.summary) as f:
        header = f.readline().strip().split(",")
    ids = np.loadtxt(args.summary, delimiter=",", skiprows=1, usecols=0, dtype=str)
    data = np.loadtxt(args.summary, delimiter=",", skiprows=1, usecols=(1, 2, 3))
    col = {name: i - 1 for i, name in enumerate(header)}
    x, tx, T = (data[:, col[c]] for c in ("frequency", "recency", "T"))
    with open(args.covariates) as f:
        cov_header = f.readline().strip().split(",")
    cov_ids = np.loadtxt(args.covariates, delimiter=",", skiprows=1, usecols=0, dtype=str)
    cov = np.loadtxt(args.covariates, delimiter=",", skiprows=1,
                     usecols=[cov_header.index(c) for c in columns], ndmin=2)
    order = {c: i for i, c in enumerate(cov_ids)}
    z = cov[[order[i] for i in ids]]
    scale = np.log(T.sum() / x.sum())
    times = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        plain = minimize(objective, np.array([0.0, scale, 0.0, scale]),
                         args=(x, tx, T, z[:, :0]), method="L-BFGS-B")
        full = minimize(objective, np.concatenate([plain.x, np.zeros(2 * len(columns))]),
                        args=(x, tx, T, z), method="L-BFGS-B")
        times.append(time.perf_counter() - start)
    r, alpha, s, beta = np.exp(full.x[:4])
    k = len(columns)
    print(json.dumps({
        "r": r, "alpha": alpha, "s": s, "beta": beta,
        "trans": dict(zip(columns, full.x[4:4 + k].tolist())),
        "life": dict(zip(columns, full.x[4 + k:].tolist())),
        "log_likelihood": -objective(full.x, x, tx, T, z) * x.size,
        "log_likelihood_without": -objective(plain.x, x, tx, T, z[:, :0]) * x.size,
        "n": int(x.size),
        "best_s": min(times), "median_s": sorted(times)[len(times) // 2],
        "mean_s": sum(times) / len(times), "runs": len(times),
        "nfev": int(plain.nfev + full.nfev), "success": bool(full.success),
        "message": str(full.message),
        "versions": f"scipy {scipy.__version__}, numpy {np.__version__}",
    }))


if __name__ == "__main__":
    main()
