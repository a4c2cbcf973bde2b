#!/usr/bin/python3
"""Simulated BG/BB data (Fader, Hardie & Shang 2010's process), aggregated to
frequency,recency,periods,weights rows: each customer is observed for n
opportunities after her first, n uniform on 1..MAX_N (several cohorts); before
each she dies with probability theta ~ Beta(gamma, delta), else transacts with
probability p ~ Beta(alpha, beta).

Usage: gen_bgbb.py OUT.csv --customers N --seed S [--max-n 20]
       [--params 1.2,0.75,0.66,2.8]
"""
import argparse
from collections import Counter

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--customers", type=int, required=True)
ap.add_argument("--seed", type=int, required=True)
ap.add_argument("--max-n", type=int, default=20)
ap.add_argument("--params", default="1.2,0.75,0.66,2.8")
a = ap.parse_args()
alpha, beta, gamma, delta = (float(v) for v in a.params.split(","))
rng = np.random.default_rng(a.seed)
m = a.customers
p = rng.beta(alpha, beta, m)
theta = rng.beta(gamma, delta, m)
n = rng.integers(1, a.max_n + 1, m)
# Opportunities alive: the first death among 1..n (geometric), capped at n.
alive_for = np.minimum(rng.geometric(theta) - 1, n)
counts = Counter()
for i in range(m):
    k = int(alive_for[i])
    buys = np.nonzero(rng.random(k) < p[i])[0]
    x = len(buys)
    tx = int(buys[-1]) + 1 if x else 0
    counts[(x, tx, int(n[i]))] += 1
with open(a.out, "w") as f:
    f.write("frequency,recency,periods,weights\n")
    for (x, tx, nn), c in sorted(counts.items()):
        f.write(f"{x},{tx},{nn},{c}\n")
