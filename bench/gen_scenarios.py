#!/usr/bin/python3
"""Write N deterministic (seeded) NDJSON scenario lines for the cltv batch benchmark.

Usage: /usr/bin/python3 bench/gen_scenarios.py OUT [-n 1000000] [--seed 20261123]

The same N and seed always give a byte-identical file. The mix (shares are
approximate, per line):
  id                 1..N, always
  arpu               5..500, log-uniform, 2 decimals, always
  churn              85% of lines: 0.5%..20% log-uniform; a number with 4 decimals
                     (0.0437), or in 10% of those a string "4.37%"
  lifetime           the other 15%: 1..120 periods, 1 decimal (instead of churn)
  gross_margin       85%: 0.5..0.95, 2 decimals (else cltv's default 1)
  cost_to_serve      30%: 0..20% of arpu × gross_margin, 2 decimals
  cac                50..5000, log-uniform, 2 decimals, always
  discount_rate      25%: 0.002..0.02, 4 decimals
  horizon            20%: one of 12, 24, 36, 60, 120
  period             5%: "year" (month otherwise, left implicit)
Every line is a valid scenario for `cltv calc` (margin stays positive).
"""

import argparse
import math
import random
import sys


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def num(x: float, places: int) -> str:
    """Shortest text of x rounded to `places` decimals: 12.5, 0.0437, 300."""
    r = round(x, places)
    text = repr(r)
    return text[:-2] if text.endswith(".0") else text


def scenario_line(rng: random.Random, i: int) -> str:
    arpu = round(log_uniform(rng, 5, 500), 2)
    fields = [f'"id":{i}', f'"arpu":{num(arpu, 2)}']
    if rng.random() < 0.85:
        churn_pct = round(log_uniform(rng, 0.5, 20), 2)  # percent, 2 decimals
        if rng.random() < 0.10:
            fields.append(f'"churn":"{num(churn_pct, 2)}%"')
        else:
            fields.append(f'"churn":{num(churn_pct / 100, 4)}')
    else:
        fields.append(f'"lifetime":{num(rng.uniform(1, 120), 1)}')
    gm = 1.0
    if rng.random() < 0.85:
        gm = round(rng.uniform(0.5, 0.95), 2)
        fields.append(f'"gross_margin":{num(gm, 2)}')
    if rng.random() < 0.30:
        # Truncate, not round, so the margin stays positive.
        cts = math.floor(rng.uniform(0, 0.2) * arpu * gm * 100) / 100
        fields.append(f'"cost_to_serve":{num(cts, 2)}')
    fields.append(f'"cac":{num(log_uniform(rng, 50, 5000), 2)}')
    if rng.random() < 0.25:
        fields.append(f'"discount_rate":{num(rng.uniform(0.002, 0.02), 4)}')
    if rng.random() < 0.20:
        fields.append(f'"horizon":{rng.choice((12, 24, 36, 60, 120))}')
    if rng.random() < 0.05:
        fields.append('"period":"year"')
    return "{" + ",".join(fields) + "}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="output file (- for stdout)")
    parser.add_argument("-n", "--lines", type=int, default=1_000_000, help="lines (default 1000000)")
    parser.add_argument("--seed", type=int, default=20261123, help="random seed (default 20261123)")
    args = parser.parse_args()
    if args.lines < 0:
        parser.error("--lines must be >= 0")

    rng = random.Random(args.seed)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="ascii", newline="\n")
    try:
        chunk = []
        for i in range(1, args.lines + 1):
            chunk.append(scenario_line(rng, i))
            if len(chunk) == 10_000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
