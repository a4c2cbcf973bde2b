#!/usr/bin/env python3
"""`cltv summarize|fit|predict|clv --from postgresql://… --table T` against the
throwaway cluster of the pg fixture: each equals the same command on the log
as a file (summarize) or on its summary, and errors are one line that never
shows a password.

Usage: from_postgres_test.py CLTV WORKDIR DATA_DIR SHARED_DATA_DIR PG_STATE
The log is tests/data/transactions-drive-300.csv (960 rows), and CDNOW's
master file (69,659 rows) when SHARED_DATA_DIR has it. Exit 77 (skipped)
without the cluster, except under CI=true.
"""
import csv
import io
import json
import os
import subprocess
import sys

cltv, workdir, data_dir, shared_dir, pg_state = sys.argv[1:6]
os.makedirs(workdir, exist_ok=True)
failures = []


def skip(reason):
    print(f"skipped: {reason}")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


if not os.path.exists(pg_state):
    skip("the PostgreSQL fixture did not start")
socket = open(pg_state).read().strip()
uri = f"postgresql:///postgres?host={socket}&user=postgres"


def psql(sql):
    p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket, "-U",
                        "postgres", "-d", "postgres"], input=sql, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"psql failed: {p.stderr}")


def load(table, path, column_types):
    psql(f'DROP TABLE IF EXISTS {table};\nCREATE TABLE {table} ({column_types});\n'
         f"\\copy {table} FROM '{path}' WITH (FORMAT csv, HEADER true)\n")


def run(args, stdin=None):
    p = subprocess.run([cltv] + args, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(name, ok, detail=""):
    if not ok:
        failures.append(f"{name}: {detail}")
    print(("ok   " if ok else "FAIL ") + name)


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def rows_by_id(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    return {r[next(iter(r))]: r for r in rows}, (list(rows[0].keys()) if rows else [])


def same_table(name, got, want, rel=1e-9):
    """Same header, same ids, equal text or numbers to `rel` (row order aside)."""
    a, header_a = rows_by_id(got)
    b, header_b = rows_by_id(want)
    if header_a != header_b:
        return check(name, False, f"header {header_a} != {header_b}")
    if a.keys() != b.keys():
        return check(name, False, f"{len(a)} customers != {len(b)}")
    for key, row in a.items():
        for column, value in row.items():
            other = b[key][column]
            try:
                equal = close(float(value), float(other), rel)
            except ValueError:
                equal = value == other
            if not equal:
                return check(name, False, f"customer {key} {column}: {value} != {other}")
    check(name, True)


def csv_log(path):
    """The log as a plain CSV (customer_id, date, amount) the cluster loads."""
    if path.endswith("CDNOW_master.txt"):
        out = os.path.join(workdir, "cdnow.csv")
        with open(path) as f, open(out, "w") as o:
            o.write("customer_id,date,amount\n")
            for line in f:
                p = line.split()
                if len(p) >= 4 and p[0].isdigit():
                    o.write(f"{p[0]},{p[1][:4]}-{p[1][4:6]}-{p[1][6:8]},{p[3]}\n")
        return out
    return path


logs = [("drive", os.path.join(data_dir, "transactions-drive-300.csv"),
         ["--freq", "M", "--observation-end", "2019-12-31"],
         ["--freq", "M", "--calibration-end", "2018-12-31", "--observation-end", "2019-12-31"])]
cdnow = os.path.join(shared_dir, "CDNOW_master.txt")
if os.path.exists(cdnow):
    logs.append(("cdnow", cdnow, ["--freq", "W", "--observation-end", "1997-09-30"],
                 ["--freq", "W", "--calibration-end", "1997-06-30", "--observation-end",
                  "1997-09-30"]))
else:
    print(f"note: {cdnow} absent: CDNOW cases not run")

for name, source, options, split in logs:
    path = csv_log(source)
    # numeric amounts: the sums are exact in the database, as in cltv.
    load(name, path, "customer_id text, date date, amount numeric")
    db = ["--from", uri, "--table", name]

    # summarize, with and without a split, in CSV and JSON
    for label, extra in (("", options), (" split", split)):
        rc, got, err = run(["summarize"] + db + extra)
        _, want, _ = run(["summarize", path] + extra)
        check(f"{name}: summarize{label} runs", rc == 0, err)
        same_table(f"{name}: summarize{label} --from = summarize FILE", got, want)
    rc, got, err = run(["summarize"] + db + split + ["--format", "json"])
    _, want, _ = run(["summarize", path] + split + ["--format", "json"])
    g, w = json.loads(got), json.loads(want)
    keys = ("observation_end", "calibration_end", "customers_included", "customers_excluded",
            "transactions_after_end", "skipped_rows")
    check(f"{name}: summarize --format json header",
          all(g.get(k) == w.get(k) for k in keys) and len(g["customers"]) == len(w["customers"]),
          {k: (g.get(k), w.get(k)) for k in keys})

    # fit: the tuples made in the database give the fit of the file's summary
    rc, summary, _ = run(["summarize", path] + options)
    summary_file = os.path.join(workdir, f"{name}-summary.csv")
    open(summary_file, "w").write(summary)
    for model in ("bgnbd", "pareto-nbd", "gamma-gamma"):
        extra = ["--drop-nonpositive"] if model == "gamma-gamma" else []
        rc, got, err = run(["fit", model] + db + options + extra)
        rc_file, want, err_file = run(["fit", model, summary_file] + extra)
        if rc_file != 0:  # a fit that fails on the file's summary fails alike
            check(f"{name}: fit {model} --from fails as on the file", rc == rc_file
                  and err.split(": ", 2)[-1] == err_file.split(": ", 2)[-1], (err, err_file))
            continue
        check(f"{name}: fit {model} --from runs", rc == 0, err)
        if rc != 0:
            continue
        g, w = json.loads(got), json.loads(want)
        check(f"{name}: fit {model} --from = fit SUMMARY",
              all(close(g["parameters"][k], w["parameters"][k], 1e-6) for k in w["parameters"])
              and close(g["log_likelihood"], w["log_likelihood"], 1e-9)
              and g["n"] == w["n"] and g["time_unit_days"] == w["time_unit_days"],
              f"{g['parameters']} {g['log_likelihood']} vs {w['parameters']} "
              f"{w['log_likelihood']}")
        check(f"{name}: fit {model} --from names the table, not the password",
              g["input"]["path"].startswith(f"{name} in postgresql://"), g["input"])
        if model == "bgnbd":
            model_file = os.path.join(workdir, f"{name}-bgnbd.json")
            open(model_file, "w").write(got)

    # predict and clv: the customers made in the database
    rc, got, err = run(["predict"] + db + options + ["--model", model_file, "--horizon", "10",
                                                     "--format", "csv"])
    _, want, _ = run(["predict", summary_file, "--model", model_file, "--horizon", "10",
                      "--format", "csv"])
    check(f"{name}: predict --from runs", rc == 0, err)
    same_table(f"{name}: predict --from = predict SUMMARY", got, want)
    rc, got, err = run(["clv"] + db + options + ["--drop-nonpositive", "--format", "csv"])
    _, want, _ = run(["clv", "--log", path] + options + ["--drop-nonpositive", "--format", "csv"])
    check(f"{name}: clv --from runs", rc == 0, err)
    same_table(f"{name}: clv --from = clv --log", got, want, 1e-8)

# --- errors: one line, exit 2, never a password -------------------------------
psql("DROP TABLE IF EXISTS refused;\nCREATE TABLE refused (customer_id text, date date, "
     "amount numeric);\nINSERT INTO refused VALUES ('a', '2020-01-01', 5), "
     "('b', '2020-01-02', -3);\n")


def one_error(label, args, expect, absent=None):
    rc, out, err = run(args)
    lines = err.strip().splitlines()
    ok = (rc == 2 and out == "" and len(lines) == 1 and lines[0].startswith("cltv: ")
          and expect in lines[0] and (absent is None or absent not in err))
    check(label, ok, f"rc {rc}, stderr {err!r}")


one_error("error: no such table", ["summarize", "--from", uri, "--table", "nosuch"],
          'relation "nosuch" does not exist')
one_error("error: no such column", ["fit", "bgnbd", "--from", uri, "--table", "refused",
                                    "--date-col", "ordered_at"],
          'column "ordered_at" does not exist')
one_error("error: a row summarize refuses", ["clv", "--from", uri, "--table", "refused"],
          "a negative amount")
secret = "s3cret-Pw"
one_error("error: no such database, password masked",
          ["summarize", "--from", f"postgresql://postgres:{secret}@/nosuchdb?host={socket}",
           "--table", "t"], 'database "nosuchdb" does not exist', secret)
one_error("error: connection refused, password masked",
          ["fit", "bgnbd", "--from", f"postgresql://bob:{secret}@127.0.0.1:1/db", "--table", "t"],
          "cannot connect to PostgreSQL", secret)
one_error("error: --from without --table", ["summarize", "--from", uri], "--from needs --table")
one_error("error: a file option beside --from",
          ["summarize", "--from", uri, "--table", "refused", "--delimiter", ";"],
          "--delimiter says how to read a file")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
