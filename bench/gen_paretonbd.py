#!/usr/bin/python3
"""Write a deterministic (seeded) synthetic RFM summary drawn from the Pareto/NBD model, for
the `cltv fit pareto-nbd` benchmark (bench/fit_paretonbd.sh).

Usage: /usr/bin/python3 bench/gen_paretonbd.py OUT [--customers 300000] [--seed 20261203]
           [--r 0.5] [--alpha 70] [--s 0.6] [--beta 200] [--first-days 2000]
           [--common-dropout MU]

Writes CSV `frequency,recency,T`, one customer a row, in days, as `cltv summarize` gives
them from a log with whole-day dates:

  first purchase   on day d0, uniform over the first FIRST_DAYS days of the window; the
                   observation ends on day FIRST_DAYS, so T = FIRST_DAYS - d0 (1 ..
                   FIRST_DAYS)
  while alive      purchases form a Poisson process with rate lambda per day, lambda ~
                   Gamma(shape r, rate alpha)
  dropout          the lifetime is exponential with rate mu per day, mu ~ Gamma(shape s,
                   rate beta) (Schmittlein, Morrison & Colombo 1987); with
                   --common-dropout MU every customer has mu = MU (the limit s, beta -> oo
                   with s/beta = MU, where the Pareto/NBD fit degenerates)
  whole days       a purchase at continuous time t after the first is on day floor(t);
                   purchases on a day that already has one count once (frequency =
                   distinct repeat days), and recency is the day of the last of them

The same arguments give a byte-identical file with the same numpy version.
"""

import argparse
import sys

import numpy as np


def simulate(n, r, alpha, s, beta, common_dropout, first_days, rng):
    """(frequency, recency, T) as int64 arrays of length n."""
    T = first_days - rng.integers(0, first_days, size=n)  # 1 .. first_days
    lam = rng.gamma(shape=r, scale=1.0 / alpha, size=n)
    if common_dropout is not None:
        mu = np.full(n, common_dropout)
    else:
        mu = rng.gamma(shape=s, scale=1.0 / beta, size=n)
    end = np.minimum(T, rng.exponential(size=n) / mu)  # alive and observed until here
    x = np.zeros(n, dtype=np.int64)
    last_day = np.zeros(n, dtype=np.int64)
    t = np.zeros(n)
    active = np.arange(n)
    while active.size:
        t[active] += rng.exponential(size=active.size) / lam[active]
        active = active[t[active] < end[active]]
        day = np.floor(t[active]).astype(np.int64)
        # A purchase on day 0 (the first purchase's day) or on a day already counted is a
        # second basket: not a new repeat day.
        new_day = (day > last_day[active]) & (day > 0)
        x[active[new_day]] += 1
        last_day[active[new_day]] = day[new_day]
    return x, last_day, T


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--r", type=float, default=0.5)
    ap.add_argument("--alpha", type=float, default=70.0)
    ap.add_argument("--s", type=float, default=0.6)
    ap.add_argument("--beta", type=float, default=200.0)
    ap.add_argument("--first-days", type=int, default=2000)
    ap.add_argument("--common-dropout", type=float, metavar="MU")
    args = ap.parse_args()
    if args.customers < 1 or args.first_days < 1:
        sys.exit("gen_paretonbd.py: --customers and --first-days must be >= 1")
    if args.common_dropout is not None and not args.common_dropout > 0:
        sys.exit("gen_paretonbd.py: --common-dropout must be > 0")
    rng = np.random.default_rng(args.seed)
    x, tx, T = simulate(args.customers, args.r, args.alpha, args.s, args.beta,
                        args.common_dropout, args.first_days, rng)
    np.savetxt(args.out, np.column_stack([x, tx, T]), fmt="%d", delimiter=",",
               header="frequency,recency,T", comments="")


if __name__ == "__main__":
    main()
