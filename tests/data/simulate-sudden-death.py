#!/usr/bin/python3
"""Writes fit-sudden-death-2000.csv: a weekly summary (frequency, recency, T)
of 2,000 customers drawn from the Gamma-Gompertz/NBD process (Bemmaor & Glady
2012) with r 0.8, alpha 6, b 0.05, s 1.2, beta 2 (weeks): each customer buys
at rate lambda ~ Gamma(r, alpha) while alive, her lifetime has the Gompertz
hazard b eta e^(b tau) with eta ~ Gamma(s, beta), and she was first seen
52..104 weeks before the end. Fixed seed: the file is the same on every run of
this script (numpy's PCG64)."""
import numpy as np

rng = np.random.default_rng(2012)
with open("fit-sudden-death-2000.csv", "w") as f:
    f.write("customer_id,frequency,recency,T\n")
    for customer in range(1, 2001):
        lam = rng.gamma(0.8, 1 / 6)
        eta = rng.gamma(1.2, 1 / 2)
        T = float(rng.integers(52, 105))
        # S(tau) = exp(-eta (e^(b tau) - 1)): invert at an Exp(1) draw.
        lifetime = np.log1p(rng.exponential() / eta) / 0.05
        end = min(lifetime, T)
        times, t = [], rng.exponential(1 / lam)
        while t < end:
            times.append(t)
            t += rng.exponential(1 / lam)
        recency = times[-1] if times else 0.0
        f.write(f"C{customer},{len(times)},{recency:.2f},{T:.0f}\n")
