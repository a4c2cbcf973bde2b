#!/usr/bin/python3
"""Write a deterministic (seeded) synthetic RFM summary drawn from the Pareto/NBD model with
static covariates (CLVTools' parameterisation), and the covariates' CSV, for the
`cltv fit pareto-nbd --covariates` benchmark (bench/fit_covariates.sh).

Usage: /usr/bin/python3 bench/gen_covariates.py SUMMARY_OUT COVARIATES_OUT
           [--customers 100000] [--seed 20261205] [--continuous]

Customers have Gender (0/1, half each) and Channel (0/1, 30 % ones); with --continuous
also Age, a standard normal draw rounded to 3 decimals, so that almost every customer has
her own row of values (the fit cannot group them). Each customer's rates:

  purchase   lambda ~ Gamma(shape r 0.6, rate alpha_i), alpha_i = 40 exp(-g_trans z)
  dropout    mu ~ Gamma(shape s 0.7, rate beta_i),  beta_i = 150 exp(-g_life z)
  g_trans    Gender 0.3, Channel -0.4, Age 0.2
  g_life     Gender 0.5, Channel 0.25, Age -0.15

in days; the first purchase on a day uniform over the first 730 days of the window, which
ends on day 730 (T = 1 .. 730); purchases while alive form a Poisson process, counted on
whole days as `cltv summarize` counts them (several on a day count once). Writes
`customer_id,frequency,recency,T` and `customer_id,Gender,Channel[,Age]`.

The same arguments give byte-identical files with the same numpy version.
"""

import argparse

import numpy as np

R, ALPHA, S, BETA = 0.6, 40.0, 0.7, 150.0
TRANS = {"Gender": 0.3, "Channel": -0.4, "Age": 0.2}
LIFE = {"Gender": 0.5, "Channel": 0.25, "Age": -0.15}
WINDOW = 730


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary")
    ap.add_argument("covariates")
    ap.add_argument("--customers", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("--continuous", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    n = args.customers
    z = {"Gender": (rng.random(n) < 0.5).astype(float),
         "Channel": (rng.random(n) < 0.3).astype(float)}
    if args.continuous:
        z["Age"] = np.round(rng.standard_normal(n), 3)
    trans = sum(TRANS[c] * v for c, v in z.items())
    life = sum(LIFE[c] * v for c, v in z.items())
    alpha = ALPHA * np.exp(-trans)
    beta = BETA * np.exp(-life)
    T = WINDOW - rng.integers(0, WINDOW, size=n)
    lam = rng.gamma(R, 1.0 / alpha)
    mu = rng.gamma(S, 1.0 / beta)
    alive_for = np.minimum(rng.exponential(1.0 / mu), T)
    frequency = np.zeros(n, dtype=np.int64)
    recency = np.zeros(n, dtype=np.int64)
    counts = rng.poisson(lam * alive_for)
    for i in np.nonzero(counts)[0]:
        days = np.unique(np.floor(rng.random(counts[i]) * alive_for[i]).astype(np.int64))
        days = days[days > 0]  # a purchase on the first day adds no repeat day
        frequency[i] = days.size
        recency[i] = days[-1] if days.size else 0
    with open(args.summary, "w") as f:
        f.write("customer_id,frequency,recency,T\n")
        for i in range(n):
            f.write(f"c{i + 1},{frequency[i]},{recency[i]},{T[i]}\n")
    names = list(z)
    with open(args.covariates, "w") as f:
        f.write("customer_id," + ",".join(names) + "\n")
        for i in range(n):
            f.write(f"c{i + 1}," + ",".join(f"{z[c][i]:g}" for c in names) + "\n")


if __name__ == "__main__":
    main()
