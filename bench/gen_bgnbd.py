#!/usr/bin/python3
"""Write a deterministic (seeded) synthetic RFM summary drawn from the BG/NBD model, for
the `cltv fit bgnbd` benchmark (bench/fit_bgnbd.sh).

Usage: /usr/bin/python3 bench/gen_bgnbd.py OUT [--customers 1000000] [--seed 20261130]
           [--r 0.25] [--alpha-weeks 4] [--a 0.8] [--b 2.5] [--first-days 455]
           [--min-days 1] [--high-frequency] [--with-id]

Writes CSV `frequency,recency,T` (with --with-id, `customer_id,` first), one customer a
row, in days, as `cltv summarize` gives them from a log with whole-day dates:

  first purchase   on day d0, uniform over the first FIRST_DAYS days (455 = 65 weeks) of
                   the window; the observation ends on day FIRST_DAYS, so T = FIRST_DAYS
                   - d0 is a whole number of days from MIN_DAYS (1) to FIRST_DAYS
  while alive      purchases form a Poisson process with rate lambda per day, lambda ~
                   Gamma(shape r, rate alpha) with alpha = 7 * alpha_weeks (a rate per
                   week of Gamma(r, alpha_weeks) is one per day of Gamma(r, 7 alpha_weeks))
  dropout          after each repeat purchase the customer drops out with probability p,
                   p ~ Beta(a, b) per customer (FHL 2005)
  whole days       a purchase at continuous time t after the first is on day floor(t); as
                   in a transaction log summary, purchases on a day that already has one
                   count once (frequency = distinct repeat days), and recency is the day
                   of the last of them

--high-frequency is the frequent buyers' case: r 0.5, alpha 8 per day (--alpha-weeks 8/7),
T from 60 to 365 days; 300,000 customers have about 170,000 distinct tuples, where the
default's compress to a few tens of thousands.

The same arguments give a byte-identical file with the same numpy version.
"""

import argparse
import sys

import numpy as np


def simulate(n, r, alpha_days, a, b, first_days, rng, min_days=1):
    """(frequency, recency, T) as int64 arrays of length n."""
    T = first_days - rng.integers(0, first_days - min_days + 1, size=n)  # min_days .. first_days
    lam = rng.gamma(shape=r, scale=1.0 / alpha_days, size=n)
    p = rng.beta(a, b, size=n)
    x = np.zeros(n, dtype=np.int64)
    last_day = np.zeros(n, dtype=np.int64)
    t = np.zeros(n)
    active = np.arange(n)  # alive and not yet past T
    while active.size:
        t[active] += rng.exponential(size=active.size) / lam[active]
        inside = t[active] < T[active]
        active = active[inside]
        day = np.floor(t[active]).astype(np.int64)
        new_day = day > last_day[active]
        # A purchase on day 0 (the first purchase's day) or on a day already counted
        # is a second basket: not a new repeat day.
        new_day &= day > 0
        x[active[new_day]] += 1
        last_day[active[new_day]] = day[new_day]
        survives = rng.random(active.size) >= p[active]
        active = active[survives]
    return x, last_day, T


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--r", type=float, default=0.25)
    ap.add_argument("--alpha-weeks", type=float, default=4.0)
    ap.add_argument("--a", type=float, default=0.8)
    ap.add_argument("--b", type=float, default=2.5)
    ap.add_argument("--first-days", type=int, default=455)
    ap.add_argument("--min-days", type=int, default=1)
    ap.add_argument("--high-frequency", action="store_true",
                    help="r 0.5, alpha 8 per day, T 60..365 days (few customers share a tuple)")
    ap.add_argument("--with-id", action="store_true")
    args = ap.parse_args()
    if args.high_frequency:
        args.r, args.alpha_weeks, args.first_days, args.min_days = 0.5, 8 / 7, 365, 60
    if args.customers < 1 or not 1 <= args.min_days <= args.first_days:
        sys.exit("gen_bgnbd.py: --customers must be >= 1 and 1 <= --min-days <= --first-days")
    rng = np.random.default_rng(args.seed)
    x, tx, T = simulate(args.customers, args.r, 7 * args.alpha_weeks, args.a, args.b,
                        args.first_days, rng, args.min_days)
    cols = [x, tx, T]
    header = "frequency,recency,T"
    if args.with_id:
        cols.insert(0, np.arange(1, args.customers + 1))
        header = "customer_id," + header
    np.savetxt(args.out, np.column_stack(cols), fmt="%d", delimiter=",", header=header,
               comments="")


if __name__ == "__main__":
    main()
