#!/usr/bin/python3
"""Write a deterministic (seeded) synthetic transaction log for the `cltv summarize` benchmark.

Usage: /usr/bin/python3 bench/gen_transactions.py OUT [--rows 10000000]
           [--customers 1000000] [--seed 20261123] [--int-ids]

Writes CSV with the header `customer_id,date,amount`, one purchase a row, rows
SHUFFLED (no order by customer or date). The same arguments give a
byte-identical file with the same numpy version (numpy's Generator streams are
stable across versions in practice, but not promised).

The model, BG/NBD-like, over a two-year window 2023-01-01 .. 2024-12-30 (730 days):
  first purchase   uniform over the first 548 days (three quarters) of the window;
                   every customer has one, so --rows must be >= --customers
  purchase rate    lambda ~ Gamma(shape 0.75, mean 0.03/day): most customers buy
                   rarely, a long tail buys often
  dropout          after an Exponential(mean 365 days) active life, 20% never drop out;
                   active span = min(life, end of window - first purchase)
  repeat count     the rows - customers repeat purchases are spread over customers
                   with a multinomial weighted by lambda x (active span + 1 day): the
                   expected count of a Poisson process, so the total is exact
  repeat dates     uniform over [first purchase, first purchase + active span]
                   (a Poisson process given its count), whole days; about 6% of
                   repeat rows are a second basket on the day of the customer's
                   previous row (same day, another amount), on top of the natural
                   same-day collisions of frequent buyers
  amounts          customer mean spend ~ LogNormal(median 25, sigma 0.8); each
                   purchase ~ LogNormal(customer mean, sigma 0.5); 2 decimals, >= 0.01
  customer ids     "C" + 7 zero-padded digits ("C0001234"; more digits past 9,999,999
                   customers), or plain integers 1..N with --int-ids

String ids are the default: ids in real logs are often CRM/shop keys, not
numbers, and a string key makes both tools treat the id as opaque text (pandas
keeps it as an object column; reading "0001234" as a number would drop the
zeros). --int-ids gives pandas its fast int64 group-by, for a what-if.

The last day of the window carries at least one purchase (unless the log is
tiny), so the default observation end (the last date in the log) is 2024-12-30.
"""

import argparse
import sys

import numpy as np

WINDOW_START = np.datetime64("2023-01-01")
WINDOW_DAYS = 730
FIRST_PURCHASE_DAYS = 548
CHUNK = 1_000_000
ZERO = 0  # padding byte, squeezed out before writing


def digits(values: np.ndarray, width: int, pad_leading: bool) -> np.ndarray:
    """(n, width) uint8 ASCII digits of non-negative ints, right-aligned; leading
    zeros become padding (ZERO) when pad_leading, except the last digit."""
    out = np.empty((values.size, width), dtype=np.uint8)
    v = values.astype(np.int64, copy=True)
    for col in range(width - 1, -1, -1):
        out[:, col] = 48 + (v % 10)
        v //= 10
    if np.any(v):
        raise ValueError("value too wide for its field")
    if pad_leading:
        # Leading zero: a '0' with only '0's to its left, not the last column.
        leading = np.cumprod(out[:, :-1] == 48, axis=1).astype(bool)
        out[:, :-1][leading] = ZERO
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="output file (- for stdout)")
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows (default 10000000)")
    parser.add_argument("--customers", type=int, default=1_000_000, help="customers (default 1000000)")
    parser.add_argument("--seed", type=int, default=20261123, help="random seed (default 20261123)")
    parser.add_argument("--int-ids", action="store_true", help="plain integer ids 1..N instead of C0000001")
    args = parser.parse_args()
    if args.customers < 1:
        parser.error("--customers must be >= 1")
    if args.rows < args.customers:
        parser.error("--rows must be >= --customers (every customer has a first purchase)")

    rng = np.random.default_rng(args.seed)
    n_cust, n_rows = args.customers, args.rows

    # ---- customers ----------------------------------------------------------
    first = rng.integers(0, FIRST_PURCHASE_DAYS, size=n_cust)
    rate = rng.gamma(shape=0.75, scale=0.03 / 0.75, size=n_cust)
    life = rng.exponential(365.0, size=n_cust)
    life[rng.random(n_cust) < 0.20] = np.inf
    span = np.minimum(life, (WINDOW_DAYS - 1) - first).astype(np.int64)  # whole days, >= 0
    weight = rate * (span + 1)
    repeats = rng.multinomial(n_rows - n_cust, weight / weight.sum())
    cust_median = np.exp(np.log(25.0) + 0.8 * rng.standard_normal(n_cust))

    # ---- rows, grouped by customer (first purchase first) -------------------
    per_cust = repeats + 1
    cust_of_row = np.repeat(np.arange(n_cust), per_cust)
    start = np.concatenate(([0], np.cumsum(per_cust)[:-1]))
    is_first = np.zeros(n_rows, dtype=bool)
    is_first[start] = True
    u = rng.random(n_rows)
    day = first[cust_of_row] + np.floor(u * (span[cust_of_row] + 1)).astype(np.int64)
    day[is_first] = first
    # Second baskets: a repeat row on the day of the customer's previous row.
    same_day = (~is_first) & (rng.random(n_rows) < 0.06)
    idx = np.flatnonzero(same_day)
    day[idx] = day[idx - 1]  # in order, so a chain of same-day rows shares one day
    # Make sure the last day of the window is in the log (a stable default end).
    # (A repeat row of a customer still active then; tiny logs may have none.)
    if not np.any(day == WINDOW_DAYS - 1):
        active_to_end = ~is_first & (first[cust_of_row] + span[cust_of_row] == WINDOW_DAYS - 1)
        if np.any(active_to_end):
            day[np.argmax(active_to_end)] = WINDOW_DAYS - 1
    cents = np.rint(cust_median[cust_of_row] * np.exp(0.5 * rng.standard_normal(n_rows)) * 100)
    cents = np.clip(cents, 1, 9_999_999_99).astype(np.int64)
    del u, same_day, idx, is_first

    order = rng.permutation(n_rows)

    # ---- text: fixed-width byte rows, padding squeezed out ------------------
    dates = np.arange(WINDOW_START, WINDOW_START + WINDOW_DAYS).astype(str)
    date_bytes = np.frombuffer("".join(dates).encode("ascii"), dtype=np.uint8).reshape(WINDOW_DAYS, 10)
    id_digits = max(7, len(str(n_cust)))
    id_w = id_digits if args.int_ids else 1 + id_digits
    amount_int_w = 8  # up to 99,999,999.99
    # id , date , int . cc \n
    width = id_w + 1 + 10 + 1 + amount_int_w + 1 + 2 + 1
    c_date = id_w + 1
    c_amt = c_date + 11

    out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    try:
        out.write(b"customer_id,date,amount\n")
        for lo in range(0, n_rows, CHUNK):
            sel = order[lo:lo + CHUNK]
            c = cust_of_row[sel]
            m = np.empty((sel.size, width), dtype=np.uint8)
            if args.int_ids:
                m[:, :id_w] = digits(c + 1, id_w, pad_leading=True)
            else:
                m[:, 0] = ord("C")
                m[:, 1:id_w] = digits(c + 1, id_digits, pad_leading=False)
            m[:, id_w] = ord(",")
            m[:, c_date:c_date + 10] = date_bytes[day[sel]]
            m[:, c_date + 10] = ord(",")
            cc = cents[sel]
            m[:, c_amt:c_amt + amount_int_w] = digits(cc // 100, amount_int_w, pad_leading=True)
            m[:, c_amt + amount_int_w] = ord(".")
            m[:, c_amt + amount_int_w + 1:c_amt + amount_int_w + 3] = digits(cc % 100, 2, pad_leading=False)
            m[:, -1] = ord("\n")
            flat = m.ravel()
            out.write(flat[flat != ZERO].tobytes())
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
