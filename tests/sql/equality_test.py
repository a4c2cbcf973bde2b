#!/usr/bin/env python3
"""`cltv sql summarize` run in a real engine equals `cltv summarize` on the same rows.

Usage: equality_test.py ENGINE CLTV WORKDIR DATA_DIR SHARED_DATA_DIR [ENGINE_ARG]
  ENGINE      postgres (ENGINE_ARG: the pg_cluster.sh state file), duckdb
              (ENGINE_ARG: the node_modules directory), sqlite
  DATA_DIR    tests/data; SHARED_DATA_DIR adds CDNOW when it exists

Each log is written as a plain CSV (LF, quoted where needed) that both the
engine loads and `cltv summarize` reads; then, for each set of summarize
options, the emitted query's result must have the same header, the same
customers, frequency exactly and every other number to 1e-9 relative. The
query runs in a session whose time zone is UTC+14 and, in PostgreSQL, whose
DateStyle is SQL, DMY: neither may change the result. Also checked: --tuples,
--spend and --counts against the summary; rows the summary refuses stop the
query with a "cltv:" message; hostile table and column names are quoted.
Exit 77 (skipped) when the engine is not installed, except under CI=true.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter

engine_name, cltv, workdir, data_dir, shared_dir = sys.argv[1:6]
engine_arg = sys.argv[6] if len(sys.argv) > 6 else ""
os.makedirs(workdir, exist_ok=True)
failures = []


def skip(reason):
    print(f"skipped: {reason}")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


def quote(name):
    """The test's own quoting (standard SQL double quotes), not cltv's."""
    if engine_name == "sqlite":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


# --- engines -----------------------------------------------------------------
class Sqlite:
    types = {"text": "TEXT", "date": "TEXT", "timestamptz": "TEXT", "double": "REAL",
             "numeric": "NUMERIC"}

    def __init__(self):
        if not shutil.which("sqlite3"):
            skip("sqlite3 is not installed (apt-get install -y sqlite3)")
        self.db = os.path.join(workdir, "sqlite.db")
        if os.path.exists(self.db):
            os.remove(self.db)

    def execute(self, sql, setup=""):
        p = subprocess.run(["sqlite3", "-bail", "-csv", "-header", self.db], input=sql,
                           capture_output=True, text=True)
        return p.returncode == 0, p.stdout, p.stderr

    def load(self, table, columns, path):
        # Loaded with Python's sqlite3 module (bound parameters: the sqlite3
        # shell's .import cannot take every hostile table name); the queries
        # run in the sqlite3 shell.
        import sqlite3
        cols = ", ".join(f"{quote(n)} {self.types[t]}" for n, t in columns)
        with sqlite3.connect(self.db) as db:
            db.execute(f"DROP TABLE IF EXISTS {quote(table)}")
            db.execute(f"CREATE TABLE {quote(table)} ({cols})")
            rows = [[v if v != "" else None for v in r] for r in read_rows(path)]
            marks = ", ".join("?" * len(columns))
            db.executemany(f"INSERT INTO {quote(table)} VALUES ({marks})", rows)
        db.close()


class Postgres:
    types = {"text": "TEXT", "date": "DATE", "timestamptz": "TIMESTAMPTZ",
             "double": "DOUBLE PRECISION", "numeric": "NUMERIC(14, 2)"}

    def __init__(self):
        if not os.path.exists(engine_arg):
            skip("no PostgreSQL cluster (the pg/cluster fixture did not start one)")
        with open(engine_arg) as f:
            self.socket = f.read().strip()

    def psql(self, args, sql, options):
        env = dict(os.environ, PGOPTIONS=options)
        return subprocess.run(["psql", "-X", "-q", "-h", self.socket, "-U", "postgres", "-d",
                               "postgres", "-v", "ON_ERROR_STOP=1"] + args,
                              input=sql, capture_output=True, text=True, env=env)

    def execute(self, sql):
        p = self.psql(["--csv", "-f", "-"], sql,
                      "-c TimeZone=Pacific/Kiritimati -c DateStyle=SQL,DMY")
        return p.returncode == 0, p.stdout, p.stderr

    def load(self, table, columns, path):
        cols = ", ".join(f"{quote(n)} {self.types[t]}" for n, t in columns)
        p = self.psql(["-c", f"DROP TABLE IF EXISTS {quote(table)}",
                       "-c", f"CREATE TABLE {quote(table)} ({cols})"], "", "-c TimeZone=UTC")
        assert p.returncode == 0, p.stderr
        with open(path) as f:
            p = subprocess.run(["psql", "-X", "-q", "-h", self.socket, "-U", "postgres", "-d",
                                "postgres", "-v", "ON_ERROR_STOP=1", "-c",
                                f"COPY {quote(table)} FROM STDIN WITH (FORMAT csv, HEADER true)"],
                               stdin=f, capture_output=True, text=True,
                               env=dict(os.environ, PGOPTIONS="-c TimeZone=UTC"))
        assert p.returncode == 0, p.stderr


class Duckdb:
    types = {"text": "VARCHAR", "date": "DATE", "timestamptz": "TIMESTAMPTZ",
             "double": "DOUBLE", "numeric": "DECIMAL(14, 2)"}

    def __init__(self):
        self.modules = engine_arg
        if not os.path.isdir(os.path.join(self.modules, "@duckdb", "node-api")):
            skip("@duckdb/node-api is not installed (the node/install fixture)")
        self.db = os.path.join(workdir, "duck.db")
        for suffix in ("", ".wal"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        self.runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "duckdb_run.cjs")

    def run_files(self, sqls):
        files = []
        for i, sql in enumerate(sqls):
            files.append(os.path.join(workdir, f"duck{i}.sql"))
            with open(files[-1], "w") as f:
                f.write(sql)
        p = subprocess.run(["node", self.runner, self.modules, self.db] + files,
                           capture_output=True, text=True)
        return p.returncode == 0, p.stdout, p.stderr

    def execute(self, sql):
        return self.run_files(["SET TimeZone = 'Pacific/Kiritimati';\n", sql])

    def load(self, table, columns, path):
        cols = ", ".join(f"{quote(n)} {self.types[t]}" for n, t in columns)
        read_types = ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': '{self.types[t]}'" for n, t in columns)
        ok, _, err = self.run_files([
            "SET TimeZone = 'UTC';\n"
            f"DROP TABLE IF EXISTS {quote(table)};\nCREATE TABLE {quote(table)} ({cols});\n"
            f"INSERT INTO {quote(table)} SELECT * FROM read_csv('{path}', header = true, "
            f"delim = ',', quote = '\"', escape = '\"', columns = {{{read_types}}});\n"])
        assert ok, err


engine = {"sqlite": Sqlite, "postgres": Postgres, "duckdb": Duckdb}[engine_name]()


# --- logs --------------------------------------------------------------------
def write_log(name, rows, header=("customer_id", "date", "amount")):
    path = os.path.join(workdir, name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))[1:]


logs = {}  # name -> (path, table, columns)


def add_log(name, rows, columns=(("customer_id", "text"), ("date", "date"), ("amount", "double")),
            table=None):
    path = write_log(name, rows, [c[0] for c in columns])
    table = table or name
    engine.load(table, list(columns), path)
    logs[name] = (path, table, list(columns))


small = read_rows(os.path.join(data_dir, "transactions-small.csv"))
add_log("small", small)
add_log("drive", read_rows(os.path.join(data_dir, "transactions-drive-300.csv")))
add_log("small_numeric", small, (("customer_id", "text"), ("date", "date"), ("amount", "numeric")))
add_log("example", read_rows(os.path.join(data_dir, "..", "..", "examples", "transactions.csv")))
# Offsets in the forms every engine reads (±HH:MM, Z) and a naive datetime
# (its date as written): their UTC days are those of transactions-small.
offsets = [
    ("c4", "2024-03-09T22:30:00-05:00", "6.00"), ("c1", "2024-01-11T01:00:00+02:00", "20.00"),
    ("Smith, Jane", "2024-01-21T12:00:00Z", "7.50"), ("c1", "2024-01-03 10:00:00", "10.00"),
    ("c3", "2024-02-20T23:59:59+00:00", "8.00"), ("c4", "2024-02-01T05:29:00+05:30", "4.00"),
    ("c5", "2024-04-04T20:00:00-04:00", "50.00"), ("Smith, Jane", "2024-01-15 00:00:00", "12.50"),
    ("c1", "2024-04-02T00:00:00.000Z", "99.00"), ("c4", "2024-03-10T09:15:00+01:00", "3.00"),
    ('c"6', "2024-03-19T23:00:00-01:00", "14.00"), ("c1", "2024-02-14T17:59:00-06:00", "30.00"),
    ("c4", "2024-02-01T08:00:00Z", "2.00"), ("Smith, Jane", "2024-03-04T20:00:00-04:00", "40.00"),
    ("c1", "2024-01-02T19:00:00-05:00", "5.00"), ("c4", "2024-03-11T12:00:00+12:00", "1.00"),
    ("c1", "2024-03-30T08:00:00+09:00", "10.00"), ('c"6', "2024-04-01T00:30:00+01:00", "6.00")]
add_log("offsets", offsets, (("customer_id", "text"), ("date", "timestamptz"), ("amount", "double")))
# Edges: same-day purchases, one-purchase customers, a customer only in the
# holdout, purchases after the observation end, days before 1970 (floor
# division), a month-end (calendar months), refunds.
edges = [
    ("a", "1969-12-29", "5"), ("a", "1969-12-31", "7.25"), ("a", "1970-01-01", "1"),
    ("a", "1970-01-05", "2"), ("b", "1970-01-03", "3"), ("b", "1970-01-03", "4"),
    ("c", "1970-01-31", "10"), ("c", "1970-02-28", "20"), ("c", "1970-03-31", "30"),
    ("d", "1970-03-15", "8"), ("e", "1970-04-02", "9"), ("e", "1970-04-20", "1"),
    ("f", "1970-02-10", "0.1"), ("f", "1970-02-10", "0.2"), ("f", "1970-03-10", "0.3"),
]
add_log("edges", edges)
refunds = [("r1", "2024-01-03", "10"), ("r1", "2024-01-10", "25"), ("r1", "2024-01-10", "-5"),
           ("r1", "2024-01-20", "-15"), ("r2", "2024-01-04", "12"), ("r2", "2024-01-20", "3")]
add_log("refunds", refunds)
cdnow = os.path.join(shared_dir, "CDNOW_master.txt")
if os.path.exists(cdnow):
    with open(cdnow) as f:
        rows = []
        for line in f:
            p = line.split()
            if len(p) == 4 and p[1].isdigit():
                d = p[1]
                rows.append((p[0], f"{d[:4]}-{d[4:6]}-{d[6:]}", p[3]))
    add_log("cdnow", rows)
else:
    print(f"note: {cdnow} not found: CDNOW not checked")


# --- comparison --------------------------------------------------------------
text_columns = {"customer_id", "freq", "observation_end", "calibration_end"}
exact_columns = {"frequency", "frequency_cal", "frequency_holdout", "customers",
                 "customers_included", "customers_excluded", "transactions_after_end"}


def close(a, b):
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def compare(label, expected_header, expected_rows, got_text, keys):
    got = list(csv.reader(io.StringIO(got_text)))
    if not got and not expected_rows:
        return  # the sqlite3 shell prints no header for an empty result
    if not got or got[0] != expected_header:
        failures.append(f"{label}: header {got[0] if got else None} != {expected_header}")
        return
    def keyed(rows):
        # Numbers as keys to 12 digits: the sqlite3 shell prints 15.
        return {tuple(r[i] if expected_header[i] in text_columns else float("%.12g" % float(r[i]))
                      for i in keys): r for r in rows}
    def merged(rows):
        # Counted rows (tuples, spend) whose keys agree to 12 digits are one:
        # summation order may split or join doubles that differ in the last bits.
        if "customers" not in expected_header or "customers_included" in expected_header:
            return rows
        at, out = expected_header.index("customers"), {}
        for r in rows:
            k = tuple("%.12g" % float(r[i]) for i in keys)
            if k in out:
                out[k][at] = str(int(out[k][at]) + int(r[at]))
            else:
                out[k] = list(r)
        return list(out.values())
    expected_rows, got = merged(expected_rows), [got[0]] + merged(got[1:])
    want, have = keyed(expected_rows), keyed(got[1:])
    if len(want) != len(expected_rows) or len(have) != len(got) - 1:
        failures.append(f"{label}: duplicate keys")
    if set(want) != set(have):
        failures.append(f"{label}: rows differ: only cltv {sorted(set(want) - set(have))[:3]}, "
                        f"only SQL {sorted(set(have) - set(want))[:3]}")
        return
    for k, w in want.items():
        h = have[k]
        for name, a, b in zip(expected_header, w, h):
            if name in text_columns:
                ok = a == b
            elif name in exact_columns:
                ok = float(a) == float(b) and float(b).is_integer()
            else:
                ok = close(float(a), float(b))
            if not ok:
                failures.append(f"{label}: {k} {name}: cltv {a}, SQL {b}")
                return


def cltv_run(args):
    return subprocess.run([cltv] + args, capture_output=True, text=True)


checked = 0


def engine_result(label, sql_args):
    """The engine's CSV result of `cltv sql SQL_ARGS` for this engine, or None
    (the failure recorded) when cltv or the engine fails."""
    q = cltv_run(["sql", sql_args[0], "--dialect", engine_name] + sql_args[1:])
    if q.returncode != 0:
        failures.append(f"{label}: cltv sql failed: {q.stderr.strip()}")
        return None
    ok, out, err = engine.execute(q.stdout)
    if not ok:
        failures.append(f"{label}: the engine failed: {err.strip()[:300]}")
        return None
    return out


def check(log, options, label=None):
    """One log and one set of summarize options, every query kind."""
    global checked
    path, table, columns = logs[log]
    names = ["--customer-col", columns[0][0], "--date-col", columns[1][0], "--amount-col",
             columns[2][0]]
    label = label or f"{engine_name} {log} {' '.join(options)}"
    summary = cltv_run(["summarize", path, "--customer-col", columns[0][0], "--date-col",
                        columns[1][0], "--amount-col", columns[2][0]] + options)
    if summary.returncode != 0:
        failures.append(f"{label}: cltv summarize failed: {summary.stderr.strip()}")
        return
    expected = list(csv.reader(io.StringIO(summary.stdout)))
    header, rows = expected[0], expected[1:]
    for kind in ["", "--tuples", "--spend", "--counts"]:
        if kind == "--spend" and "--no-amount" in options:
            continue
        out = engine_result(f"{label} {kind}", ["summarize", "--table", table] + names + options +
                            ([kind] if kind else []))
        if out is None:
            continue
        units = [c for c in header if c in ("time_unit_days", "freq", "observation_end",
                                           "calibration_end")]
        if kind == "":
            compare(label, header, rows, out, [0])
        elif kind == "--tuples":
            f, r, t = header[1], header[2], header[3]
            counted = Counter(tuple(row[1:4]) + tuple(row[header.index(u)] for u in units)
                              for row in rows)
            want = [list(k[:3]) + [str(n)] + list(k[3:]) for k, n in counted.items()]
            compare(label + " --tuples", [f, r, t, "customers"] + units, want, out, [0, 1, 2])
        elif kind == "--spend":
            f, m = header[1], header[4]
            counted = Counter((row[1], float(row[4])) + tuple(row[header.index(u)] for u in units)
                              for row in rows if float(row[1]) > 0)
            want = [[k[0], repr(k[1]), str(n)] + list(k[2:]) for k, n in counted.items()]
            compare(label + " --spend", [f, m, "customers"] + units, want, out, [0, 1])
        else:
            j = json.loads(cltv_run(["summarize", path, "--customer-col", columns[0][0],
                                     "--date-col", columns[1][0], "--amount-col", columns[2][0],
                                     "--format", "json"] + options).stdout)
            count_names = ["customers_included", "customers_excluded",
                           "transactions_after_end", "observation_end"] + (["calibration_end"] if "calibration_end" in j else [])
            compare(label + " --counts", count_names, [[str(j[n]) for n in count_names]], out, [3])
        checked += 1


# --- the cases ---------------------------------------------------------------
summaries = [
    [], ["--observation-end", "2024-03-31"], ["--freq", "W", "--observation-end", "2024-03-31"],
    ["--freq", "W", "--observation-end", "2024-03-27"], ["--freq", "M", "--observation-end",
                                                          "2024-03-31"],
    ["--time-unit", "7", "--observation-end", "2024-03-31"],
    ["--freq", "W", "--time-unit", "days"], ["--freq", "M", "--time-unit", "weeks"],
    ["--calibration-end", "2024-02-29", "--observation-end", "2024-03-31"],
    ["--calibration-end", "2024-02-29", "--observation-end", "2024-03-31", "--freq", "W"],
    ["--calibration-end", "2024-02-29"],
    ["--calibration-periods", "30"], ["--calibration-periods", "5", "--freq", "W"],
    ["--calibration-periods", "2", "--freq", "M", "--observation-end", "2024-03-31"],
    ["--no-amount", "--observation-end", "2024-03-31"],
]
for options in summaries:
    for log in ("small", "offsets"):
        check(log, options)
for options in ([], ["--freq", "W"], ["--calibration-end", "2024-09-30", "--freq", "W"]):
    check("small_numeric" if not options else "example", options)
check("example", ["--freq", "M", "--calibration-periods", "6"])
for options in ([], ["--freq", "W"], ["--freq", "M"], ["--observation-end", "1970-03-20"],
                ["--calibration-end", "1970-02-27", "--observation-end", "1970-03-31"],
                ["--calibration-periods", "1", "--freq", "M"],
                ["--freq", "W", "--time-unit", "months"]):
    check("edges", options)
# Calendar years (BG/BB's yearly opportunities), across 29 February and the year's ends.
check("drive", ["--freq", "Y"])
check("drive", ["--freq", "Y", "--calibration-end", "2020-12-31", "--observation-end", "2022-06-30"])
check("drive", ["--freq", "Y", "--calibration-periods", "3", "--time-unit", "months"])
check("edges", ["--freq", "Y"])
check("refunds", ["--allow-refunds"])
check("refunds", ["--allow-refunds", "--freq", "W", "--calibration-end", "2024-01-09"])
if "cdnow" in logs:
    check("cdnow", ["--observation-end", "1997-09-30", "--time-unit", "weeks"])
    check("cdnow", ["--calibration-end", "1997-09-30", "--observation-end", "1998-06-30",
                    "--time-unit", "weeks"])
    check("cdnow", ["--freq", "W", "--calibration-periods", "39"])


# --- scores back into the warehouse -------------------------------------------
def score_checks(log, options, purchase_model):
    """Fit on the engine's tuples and spend tuples, predict the tuples, load
    the predictions, score in the engine: equal to cltv predict / cltv clv on
    cltv summarize of the same rows."""
    global checked
    path, table, columns = logs[log]
    label = f"{engine_name} score {log} {purchase_model}"
    files = {}
    for kind in ("--tuples", "--spend"):
        out = engine_result(f"{label} {kind}", ["summarize", "--table", table] + options + [kind])
        if out is None:
            return
        files[kind] = os.path.join(workdir, f"{log}{kind}.csv")
        with open(files[kind], "w") as f:
            f.write(out)
    bg = os.path.join(workdir, f"{log}-{purchase_model}.json")
    gg = os.path.join(workdir, f"{log}-gg.json")
    for model, source, out_path, extra in ((purchase_model, "--tuples", bg, []),
                                           ("gamma-gamma", "--spend", gg, ["--drop-nonpositive"])):
        fit = cltv_run(["fit", model, files[source], "--count-col", "customers"] + extra)
        if fit.returncode != 0:
            failures.append(f"{label}: fit {model}: {fit.stderr.strip()}")
            return
        with open(out_path, "w") as f:
            f.write(fit.stdout)
    horizon = ["--horizon", "39"]
    months = ["--months", "12", "--discount-rate", "1%"]
    pred = cltv_run(["predict", "--model", bg, files["--tuples"]] + horizon + months)
    if pred.returncode != 0:
        failures.append(f"{label}: predict on the tuples: {pred.stderr.strip()}")
        return
    pred_rows = list(csv.reader(io.StringIO(pred.stdout)))
    pred_path = write_log("predictions", pred_rows[1:], pred_rows[0])
    engine.load("predictions", [(n, "double") for n in pred_rows[0]], pred_path)

    summary = os.path.join(workdir, f"{log}-summary.csv")
    with open(summary, "w") as f:
        f.write(cltv_run(["summarize", path] + options).stdout)
    want = {}
    for args, cols in (
            (["predict", "--model", bg, summary] + horizon, ("p_alive", "expected_purchases")),
            (["clv", summary, "--model", bg, "--model", gg, "--horizon", "12", "--discount-rate",
              "1%", "--gross-margin", "30%", "--drop-nonpositive", "--format", "csv"],
             ("expected_spend", "clv"))):
        r = cltv_run(args)
        if r.returncode != 0:
            failures.append(f"{label}: {' '.join(args[:1])}: {r.stderr.strip()}")
            return
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        for row in rows:
            want.setdefault(row["customer_id"], {}).update({c: row[c] for c in cols})
    for variant, extra, cols in (
            ("closed forms", [], ("expected_spend",) + (("p_alive",) if purchase_model != "pareto-nbd" else ())),
            ("joined", ["--predictions", "predictions", "--clv", "--gross-margin", "30%"],
             ("p_alive", "expected_purchases", "expected_spend", "clv"))):
        if purchase_model == "pareto-nbd" and not extra:
            q = cltv_run(["sql", "score", "--dialect", engine_name, "--table", table, "--model", bg]
                         + options)
            if q.returncode != 2 or "no closed form" not in q.stderr:
                failures.append(f"{label}: Pareto/NBD without --predictions: {q.stderr}")
            continue
        out = engine_result(f"{label} {variant}", ["score", "--table", table, "--model", bg,
                                                   "--model", gg] + options + extra)
        if out is None:
            continue
        got = {r["customer_id"]: r for r in csv.DictReader(io.StringIO(out))}
        if set(got) != set(want):
            failures.append(f"{label} {variant}: customers differ")
            continue
        bad = 0
        for customer, w in want.items():
            for c in cols:
                a, b = float(w[c]), float(got[customer][c])
                if not (close(a, b) or abs(a - b) < 1e-300):
                    if bad < 3:
                        failures.append(f"{label} {variant}: {customer} {c}: cltv {a}, SQL {b}")
                    bad += 1
        checked += 1


score_options = ["--freq", "W", "--time-unit", "weeks"]
for model in ("bgnbd", "mbgnbd", "pareto-nbd"):
    score_checks("example", score_options, model)
if "cdnow" in logs:
    for model in ("bgnbd", "pareto-nbd"):
        score_checks("cdnow", ["--observation-end", "1997-09-30", "--time-unit", "weeks"], model)


# --- refused rows stop the query ----------------------------------------------
def expect_failure(label, log, options, needle):
    path, table, columns = logs[log]
    q = cltv_run(["sql", "summarize", "--dialect", engine_name, "--table", table,
                  "--customer-col", columns[0][0], "--date-col", columns[1][0], "--amount-col",
                  columns[2][0]] + options)
    ok, out, err = engine.execute(q.stdout)
    if ok or needle not in err:
        failures.append(f"{label}: expected the engine to stop with {needle!r}, got "
                        f"{'success' if ok else err.strip()[:200]}")


expect_failure("negative amount", "refunds", [], "cltv: a negative amount")
add_log("null_date", [("x", "2024-01-01", "1"), ("y", "", "2")])
expect_failure("NULL date", "null_date", [], "cltv: the date is NULL")
add_log("null_amount", [("x", "2024-01-01", "1"), ("y", "2024-01-02", "")])
expect_failure("NULL amount", "null_amount", [], "cltv: the amount is NULL")
expect_failure("calibration after the end", "small", ["--calibration-periods", "400"],
               "cltv: calibration_periods 400 ends the calibration on")
if engine_name == "sqlite":
    add_log("text_amount", [("x", "2024-01-01", "1"), ("y", "2024-01-02", "ten")])
    expect_failure("text amount", "text_amount", [], "cltv: the amount is not a number")
    add_log("bad_date", [("x", "2024-01-01", "1"), ("y", "01/02/2024", "2")])
    expect_failure("unreadable date", "bad_date", [], "cltv: the date is not an ISO 8601 date")

# --- hostile names ------------------------------------------------------------
ok, _, err = engine.execute("DROP TABLE IF EXISTS t;\nCREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (1);\n")
assert ok, err
hostile_table = 'a"; drop table t; --'
hostile_columns = (("cust \"id\" `x`", "text"), ("date with space", "date"), ("montant € ü", "double"))
add_log("hostile", small, hostile_columns, table=hostile_table)
check("hostile", ["--observation-end", "2024-03-31", "--freq", "W"], label=f"{engine_name} hostile names")
ok, out, err = engine.execute("SELECT COUNT(*) AS n FROM t;\n")
if not ok or out.split()[-1] != "1":
    failures.append(f"hostile names: table t is gone or changed: {out} {err}")
if engine_name == "sqlite":
    # A misspelt column must fail, not read as a string constant.
    q = cltv_run(["sql", "summarize", "--dialect", "sqlite", "--table", "small", "--amount-col", "amt"])
    ok, out, err = engine.execute(q.stdout)
    if ok or "no such column" not in err:
        failures.append(f"misspelt column: expected 'no such column', got {out[:100]} {err}")

for f in failures:
    print("FAIL", f)
print(f"{engine_name}: {checked} queries checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
