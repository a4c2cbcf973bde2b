#!/usr/bin/python3
"""The pandas baseline for `cltv summarize`: read a transaction log, write the RFM summary.

Usage: /usr/bin/python3 bench/pandas_summarize.py LOG OUT [--observation-end YYYY-MM-DD]
           [--impl groupby|lifetimes]

LOG is CSV with the header `customer_id,date,amount` (ISO dates); OUT gets
`customer_id,frequency,recency,T,monetary_value`, one row per customer, with the
semantics of lifetimes.utils.summary_data_from_transaction_data(freq="D")
(/work/shared/reference/models.md, "RFM summary semantics"):
  purchases on one day merge into one, amounts summed; rows after the
  observation end are dropped (default end: the last date in the log);
  frequency      = distinct purchase days - 1
  recency        = last purchase day - first purchase day, in days
  T              = observation end - first purchase day, in days
  monetary_value = mean of the daily sums over the repeat days (first day
                   excluded), 0 when frequency is 0

--impl groupby (default) is what an analyst who knows pandas would write: one
read_csv, one group-by to daily sums, one group-by per customer. It is the
faster of the two, so it is the baseline the benchmark compares against.
--impl lifetimes is a line-by-line port of lifetimes' own function (sort the
whole log, to_period, group-by, mark first rows, mean over the rest; floats for
frequency/recency/T as lifetimes returns them): what calling the library costs.

Timed as a whole process by bench/summarize.sh (interpreter start, imports,
read, compute, write), like cltv. The split is printed to stderr:
  pandas_summarize: import 0.31 s, read_csv 9.80 s, compute 12.40 s, write 3.10 s, total 25.61 s
"""

import argparse
import sys
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
T_IMPORT = time.perf_counter()


def read_log(path: str) -> pd.DataFrame:
    # dtype str keeps ids verbatim ("0001234" stays text); ISO dates parse on
    # pandas' fast path.
    return pd.read_csv(path, dtype={"customer_id": str, "amount": "float64"}, parse_dates=["date"])


def summarize_groupby(tx: pd.DataFrame, observation_end) -> pd.DataFrame:
    tx["date"] = tx["date"].dt.floor("D")  # daily periods (to_period("D"), kept as datetime64)
    end = tx["date"].max() if observation_end is None else pd.Timestamp(observation_end).floor("D")
    tx = tx[tx["date"] <= end]
    # One row per (customer, day) with the day's total, sorted by customer then day.
    # sort=True costs ~6 s here but saves ~10 s below (the per-customer group-bys
    # run over contiguous keys); measured on the 10M-row benchmark log.
    daily = tx.groupby(["customer_id", "date"], sort=True)["amount"].sum().reset_index()
    by_cust = daily.groupby("customer_id", sort=False)
    summary = by_cust["date"].agg(first="min", last="max", days="size")
    repeat = daily[daily["date"] != by_cust["date"].transform("min")]
    summary["frequency"] = summary["days"] - 1
    summary["recency"] = (summary["last"] - summary["first"]).dt.days
    summary["T"] = (end - summary["first"]).dt.days
    summary["monetary_value"] = repeat.groupby("customer_id", sort=False)["amount"].mean()
    summary["monetary_value"] = summary["monetary_value"].fillna(0.0)
    return summary[["frequency", "recency", "T", "monetary_value"]]


def summarize_lifetimes(transactions: pd.DataFrame, observation_end) -> pd.DataFrame:
    """lifetimes 0.11.3 summary_data_from_transaction_data + _find_first_transactions,
    with customer_id_col="customer_id", datetime_col="date",
    monetary_value_col="amount", freq="D", freq_multiplier=1,
    include_first_transaction=False; only the argument plumbing is removed."""
    customer_id_col, datetime_col, monetary_value_col, freq = "customer_id", "date", "amount", "D"
    if observation_end is None:
        observation_period_end = pd.to_datetime(transactions[datetime_col].max()).to_period(freq).to_timestamp()
    else:
        observation_period_end = pd.to_datetime(observation_end).to_period(freq).to_timestamp()

    # _find_first_transactions
    select_columns = [customer_id_col, datetime_col, monetary_value_col]
    transactions = transactions[select_columns].sort_values(select_columns).copy()
    transactions[datetime_col] = pd.to_datetime(transactions[datetime_col])
    transactions = transactions.set_index(datetime_col).to_period(freq).to_timestamp()
    transactions = transactions.loc[(transactions.index <= observation_period_end)].reset_index()
    period_groupby = transactions.groupby([datetime_col, customer_id_col], sort=False, as_index=False)
    period_transactions = period_groupby.sum()
    period_transactions["first"] = False
    first_transactions = period_transactions.groupby(customer_id_col, sort=True, as_index=False).head(1).index
    period_transactions.loc[first_transactions, "first"] = True
    select_columns.append("first")
    period_transactions[datetime_col] = pd.Index(period_transactions[datetime_col]).to_period(freq)
    repeated_transactions = period_transactions[select_columns]

    # summary_data_from_transaction_data
    repeated_transactions[datetime_col] = pd.Index(repeated_transactions[datetime_col]).to_timestamp()
    customers = repeated_transactions.groupby(customer_id_col, sort=False)[datetime_col].agg(["min", "max", "count"])
    customers["frequency"] = customers["count"] - 1
    customers["T"] = (observation_period_end - customers["min"]) / np.timedelta64(1, freq)
    customers["recency"] = (customers["max"] - customers["min"]) / np.timedelta64(1, freq)
    first_purchases = repeated_transactions[repeated_transactions["first"]].index
    repeated_transactions.loc[first_purchases, monetary_value_col] = np.nan
    customers["monetary_value"] = repeated_transactions.groupby(customer_id_col)[monetary_value_col].mean().fillna(0)
    return customers[["frequency", "recency", "T", "monetary_value"]].astype(float)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", help="transaction log CSV (customer_id,date,amount)")
    parser.add_argument("out", help="summary CSV to write (- for stdout)")
    parser.add_argument("--observation-end", metavar="YYYY-MM-DD", help="default: the last date in the log")
    parser.add_argument("--impl", choices=("groupby", "lifetimes"), default="groupby")
    args = parser.parse_args()

    t_start = time.perf_counter()
    tx = read_log(args.log)
    t_read = time.perf_counter()
    if args.impl == "groupby":
        summary = summarize_groupby(tx, args.observation_end)
    else:
        pd.options.mode.chained_assignment = None  # lifetimes' code triggers SettingWithCopyWarning
        summary = summarize_lifetimes(tx, args.observation_end)
    t_compute = time.perf_counter()
    summary.index.name = "customer_id"
    summary.to_csv(sys.stdout if args.out == "-" else args.out)
    t_write = time.perf_counter()
    print(f"pandas_summarize ({args.impl}, pandas {pd.__version__}): "
          f"{len(tx):,} rows, {len(summary):,} customers; "
          f"import {T_IMPORT - T0:.2f} s, read_csv {t_read - t_start:.2f} s, "
          f"compute {t_compute - t_read:.2f} s, write {t_write - t_compute:.2f} s, "
          f"total {t_write - T0:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
