#!/usr/bin/python3
"""Writes transactions-drive-300.csv: 300 donors of a yearly drive, drawn
from the BG/BB process (Fader, Hardie & Shang 2010) with alpha 1.2, beta 0.75,
gamma 0.66, delta 2.8: each donor joins with a gift in a month of 2015-2017,
then before each later year dies with probability theta ~ Beta(gamma, delta),
else gives with probability p ~ Beta(alpha, beta); each gift is her own mean
(~ Gamma(6, 10)) times a uniform 0.8..1.2. Fixed seed: the file is the same on
every run of this script (numpy's PCG64)."""
import numpy as np

rng = np.random.default_rng(20101)
rows = []
for donor in range(1, 301):
    p, theta = rng.beta(1.2, 0.75), rng.beta(0.66, 2.8)
    first = 2015 + int(rng.integers(0, 3))
    mean = rng.gamma(6, 10)
    rows.append((donor, f"{first}-{int(rng.integers(1, 13)):02d}-15", mean * rng.uniform(0.8, 1.2)))
    for year in range(first + 1, 2023):
        if rng.random() < theta:
            break
        if rng.random() < p:
            rows.append((donor, f"{year}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
                         mean * rng.uniform(0.8, 1.2)))
with open("transactions-drive-300.csv", "w") as f:
    f.write("customer_id,date,amount\n")
    for donor, date, amount in rows:
        f.write(f"D{donor},{date},{amount:.2f}\n")
