#!/usr/bin/env bash
# Warehouse scale (issue 21): a 10,000,000-row transaction log in PostgreSQL 15
# and in DuckDB, and what `cltv`'s cost after the aggregation depends on.
#
#  1. PostgreSQL, end to end, interleaved A B A B …:
#       A  cltv fit bgnbd --from postgresql://… --table orders   (the database
#          aggregates; only the distinct (frequency, recency, T) come back)
#       B  psql \copy orders TO a CSV, then cltv summarize, then cltv fit bgnbd
#     Wall time of each, rows transferred, peak RSS of cltv (GNU time), and the
#     two fits' parameters compared.
#  2. DuckDB: `cltv sql summarize --dialect duckdb --tuples` run in DuckDB (the
#     npm package's binary, COPY … TO a CSV), then `cltv fit bgnbd --count-col
#     customers` on the tuples: the tuple count and the time of each step.
#  3. What the cost depends on: `cltv fit bgnbd --count-col customers` on the
#     tuples of logs with different rows, customers and --freq (so different
#     tuple counts): its time and peak RSS against each.
#
# Usage: bench/warehouse.sh            (from any directory)
# Env:   CLTV          binary (default build-bench/src/cli/cltv under the repo root)
#        NODE_MODULES  node_modules holding @duckdb/node-api (default: the test
#                      build's, build/ci/tests/node/node_modules)
#        ROWS, CUSTOMERS, SEED  the log (default 10000000, 1000000, 20261123:
#                      bench/gen_transactions.py, the summarize bench's log)
#        FREQ          --freq of parts 1 and 2 (default D)
#        RUNS          timed pairs in part 1 and runs in parts 2-3 (default 5; medians)
#        BENCH_CACHE   where generated logs are kept (default ${TMPDIR:-/tmp}/cltv-bench)
#        RESULTS_MD    if set, append the results as a markdown section to this file
#        RESULTS_LABEL its label (default "run")
# Needs: PostgreSQL 15 server (postgresql), psql, node with @duckdb/node-api,
#        GNU time, Debian's /usr/bin/python3 with numpy. Not pinned: PostgreSQL
#        and DuckDB use both cores, and the pipelines are several processes.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
CLTV=${CLTV:-$repo_root/build-bench/src/cli/cltv}
NODE_MODULES=${NODE_MODULES:-$repo_root/build/ci/tests/node/node_modules}
ROWS=${ROWS:-10000000}
CUSTOMERS=${CUSTOMERS:-1000000}
SEED=${SEED:-20261123}
FREQ=${FREQ:-D}
RUNS=${RUNS:-5}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/cltv-bench}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3
TIME=/usr/bin/time
OBS_END=2024-12-30 # the generator's last day

die() { echo "warehouse.sh: $*" >&2; exit 2; }
[[ -x $CLTV ]] || die "no cltv binary at $CLTV (see bench/README.md, or set CLTV)"
[[ -x $TIME ]] || die "GNU time not found (apt-get install -y time)"
command -v psql >/dev/null || die "psql not found (apt-get install -y postgresql)"
command -v node >/dev/null || die "node not found"
[[ -d $NODE_MODULES/@duckdb/node-api ]] ||
  die "no @duckdb/node-api under $NODE_MODULES (build the tests once, or set NODE_MODULES)"
$PY -c "import numpy" 2>/dev/null || die "/usr/bin/python3 cannot import numpy"

mkdir -p "$BENCH_CACHE"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-warehouse.XXXXXX")
pg_state=$tmp/pg.state
cleanup() {
  sh tests/sql/pg_cluster.sh stop "$pg_state" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

log_for() { # ROWS CUSTOMERS: the cached log's path (generated once)
  local path=$BENCH_CACHE/transactions-$1r-$2c-seed$SEED.csv
  if [[ ! -s $path ]]; then
    echo "generating $path ..." >&2
    $PY bench/gen_transactions.py "$path.part" --rows "$1" --customers "$2" --seed "$SEED" >&2
    mv "$path.part" "$path"
  fi
  echo "$path"
}

now() { date +%s.%N; }
elapsed() { $PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
peak_mb() { # GNU time -v output → peak RSS in MB
  awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"
}
median() { $PY -c "import sys, statistics; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }

log=$(log_for "$ROWS" "$CUSTOMERS")
log_mb=$($PY -c "import os, sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.0f}')" "$log")

# --- 1. PostgreSQL ------------------------------------------------------------
echo "starting a throwaway PostgreSQL cluster ..." >&2
sh tests/sql/pg_cluster.sh start "$pg_state" >&2
socket=$(cat "$pg_state")
uri="postgresql:///postgres?host=$socket&user=postgres"
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$socket" -U postgres -d postgres "$@"; }
t0=$(now)
pg -c "CREATE TABLE orders (customer_id text, date date, amount numeric(12, 2))"
pg -c "\\copy orders FROM '$log' WITH (FORMAT csv, HEADER true)"
pg -c "ANALYZE orders"
load_s=$(elapsed "$t0" "$(now)")
pg_version=$(pg -At -c "SHOW server_version")
echo "loaded $ROWS rows into PostgreSQL $pg_version in ${load_s}s" >&2

direct=() export_s=() summarize_s=() fit_s=() pipeline=() ratio=()
direct_peak=() pipeline_peak=()
for ((i = 0; i < RUNS + 1; i++)); do # the first pair warms the caches, not counted
  t0=$(now)
  $TIME -v "$CLTV" fit bgnbd --from "$uri" --table orders --freq "$FREQ" \
    --observation-end "$OBS_END" >"$tmp/direct.json" 2>"$tmp/direct.time"
  a=$(elapsed "$t0" "$(now)")

  t0=$(now)
  pg -c "\\copy orders TO '$tmp/export.csv' WITH (FORMAT csv, HEADER true)"
  t1=$(now)
  $TIME -v "$CLTV" summarize "$tmp/export.csv" --freq "$FREQ" --observation-end "$OBS_END" \
    >"$tmp/summary.csv" 2>"$tmp/summarize.time"
  t2=$(now)
  $TIME -v "$CLTV" fit bgnbd "$tmp/summary.csv" >"$tmp/pipeline.json" 2>"$tmp/fit.time"
  t3=$(now)
  b=$(elapsed "$t0" "$t3")
  ((i == 0)) && continue
  direct+=("$a") pipeline+=("$b")
  export_s+=("$(elapsed "$t0" "$t1")") summarize_s+=("$(elapsed "$t1" "$t2")")
  fit_s+=("$(elapsed "$t2" "$t3")")
  ratio+=("$($PY -c "import sys; print(float(sys.argv[2]) / float(sys.argv[1]))" "$a" "$b")")
  direct_peak+=("$(peak_mb "$tmp/direct.time")")
  pipeline_peak+=("$($PY -c "import sys; print(max(map(float, sys.argv[1:])))" \
    "$(peak_mb "$tmp/summarize.time")" "$(peak_mb "$tmp/fit.time")")")
  echo "pair $i: --from ${a}s, export+summarize+fit ${b}s" >&2
done
mb() { $PY -c "import os, sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.1f}')" "$1"; }
export_mb=$(mb "$tmp/export.csv")
# What --from transfers: the tuples query's result (as psql --csv writes it).
"$CLTV" sql summarize --dialect postgres --table orders --tuples --no-amount --freq "$FREQ" \
  --observation-end "$OBS_END" >"$tmp/tuples.sql"
pg --csv -f "$tmp/tuples.sql" >"$tmp/tuples.csv"
tuples_mb=$(mb "$tmp/tuples.csv")
tuples=$($PY -c "import json, sys; print(json.load(open(sys.argv[1]))['unique_tuples'])" "$tmp/direct.json")
same=$($PY - "$tmp/direct.json" "$tmp/pipeline.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
worst = max(abs(a["parameters"][k] - b["parameters"][k]) / abs(b["parameters"][k])
            for k in b["parameters"])
print(f"equal (largest parameter difference {worst:.1e} relative)" if worst < 1e-6
      else f"DIFFERENT (largest parameter difference {worst:.1e} relative)")
EOF
)
sh tests/sql/pg_cluster.sh stop "$pg_state" >&2

# --- 2. DuckDB ----------------------------------------------------------------
duck() { node "$tmp/duck.cjs" "$NODE_MODULES" "$tmp/bench.duckdb" "$1"; }
cat >"$tmp/duck.cjs" <<'EOF'
// node duck.cjs NODE_MODULES DATABASE FILE.sql: runs the file's statements.
const fs = require('fs'), path = require('path');
const [modules, database, file] = process.argv.slice(2);
const { DuckDBInstance } = require(path.join(modules, '@duckdb/node-api'));
(async () => {
  const connection = await (await DuckDBInstance.create(database)).connect();
  const statements = await connection.extractStatements(fs.readFileSync(file, 'utf8'));
  for (let i = 0; i < statements.count; i++) await (await statements.prepare(i)).run();
  connection.closeSync();
})().catch((e) => { process.stderr.write(String(e.message) + '\n'); process.exit(1); });
EOF
duck_load() { # LOG: the table orders of a new database from the log
  rm -f "$tmp/bench.duckdb"
  echo "CREATE TABLE orders AS SELECT * FROM read_csv('$1', header = true, columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DECIMAL(12,2)'});" >"$tmp/load.sql"
  duck "$tmp/load.sql"
}
duck_tuples() { # FREQ OUT: the tuples of orders in DuckDB, to OUT (a CSV)
  "$CLTV" sql summarize --dialect duckdb --table orders --tuples --freq "$1" \
    --observation-end "$OBS_END" >"$tmp/tuples.sql"
  { printf "COPY (\n"; sed '$ s/;$//' "$tmp/tuples.sql"; printf ") TO '%s' (FORMAT csv, HEADER);\n" "$2"; } \
    >"$tmp/copy.sql"
  duck "$tmp/copy.sql"
}
echo "loading the log into DuckDB ..." >&2
duck_load "$log"
duck_sql=() duck_fit=()
for ((i = 0; i < RUNS; i++)); do
  t0=$(now)
  duck_tuples "$FREQ" "$tmp/duck-tuples.csv"
  t1=$(now)
  "$CLTV" fit bgnbd "$tmp/duck-tuples.csv" --count-col customers >"$tmp/duck.json"
  t2=$(now)
  duck_sql+=("$(elapsed "$t0" "$t1")") duck_fit+=("$(elapsed "$t1" "$t2")")
done
duck_tuples_n=$(($(wc -l <"$tmp/duck-tuples.csv") - 1))
duck_same=$($PY - "$tmp/duck.json" "$tmp/pipeline.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
worst = max(abs(a["parameters"][k] - b["parameters"][k]) / abs(b["parameters"][k])
            for k in b["parameters"])
print(f"equal to the PostgreSQL pipeline's (largest parameter difference {worst:.1e})"
      if worst < 1e-6 else f"DIFFERENT from the pipeline's ({worst:.1e})")
EOF
)

# --- 3. what the cost depends on ----------------------------------------------
# Each case: its log in DuckDB, the tuples, then RUNS timed fits on them.
cases=("$ROWS $CUSTOMERS D" "$ROWS $CUSTOMERS W" "$ROWS $CUSTOMERS M"
       "$((ROWS / 10)) $((CUSTOMERS / 10)) D" "$((ROWS / 10)) $((CUSTOMERS / 2)) D")
cost_rows=()
for c in "${cases[@]}"; do
  read -r rows customers freq <<<"$c"
  case_log=$(log_for "$rows" "$customers")
  [[ $case_log == "$log" ]] || duck_load "$case_log"
  duck_tuples "$freq" "$tmp/case.csv"
  n=$(($(wc -l <"$tmp/case.csv") - 1))
  times=() peaks=()
  for ((i = 0; i < RUNS; i++)); do
    t0=$(now)
    $TIME -v "$CLTV" fit bgnbd "$tmp/case.csv" --count-col customers >/dev/null 2>"$tmp/case.time"
    times+=("$(elapsed "$t0" "$(now)")") peaks+=("$(peak_mb "$tmp/case.time")")
  done
  t=$(median "${times[@]}")
  per=$($PY -c "import sys; print(f'{float(sys.argv[1]) / int(sys.argv[2]) * 1e6:.2f}')" "$t" "$n")
  cost_rows+=("| $rows | $customers | $freq | $n | $t | $per | $(median "${peaks[@]}") |")
  [[ $case_log == "$log" ]] || duck_load "$log"
done

# --- report -------------------------------------------------------------------
commit=$(git -C "$repo_root" rev-parse --short=8 HEAD 2>/dev/null || echo unknown)
report=$(cat <<EOF
### warehouse.sh: $RESULTS_LABEL (commit $commit)

$(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg); not pinned. Log: $ROWS rows, $CUSTOMERS customers, ${log_mb} MB (bench/gen_transactions.py, seed $SEED); --freq $FREQ, observation end $OBS_END; medians of $RUNS runs (pairs interleaved, after one warm-up pair).

PostgreSQL $pg_version (throwaway cluster, default settings; loading the table took ${load_s} s, not counted):

| path | wall s (median) | rows transferred | peak RSS of cltv, MB |
|---|---:|---:|---:|
| \`cltv fit bgnbd --from postgresql://… --table orders\` | $(median "${direct[@]}") | $tuples tuples (${tuples_mb} MB) | $(median "${direct_peak[@]}") |
| \`\\copy\` to CSV + \`cltv summarize\` + \`cltv fit bgnbd\` | $(median "${pipeline[@]}") | $ROWS rows (${export_mb} MB) | $(median "${pipeline_peak[@]}") |
| of which \`\\copy\` | $(median "${export_s[@]}") | | |
| of which \`cltv summarize\` | $(median "${summarize_s[@]}") | | |
| of which \`cltv fit\` | $(median "${fit_s[@]}") | | |

Pipeline / --from, pair by pair: median $(median "${ratio[@]}")x. Fits: $same.

DuckDB (npm @duckdb/node-api, the emitted query wrapped in COPY … TO a CSV): the query $(median "${duck_sql[@]}") s (node and DuckDB start-up included), $duck_tuples_n tuples; \`cltv fit bgnbd --count-col customers\` on them $(median "${duck_fit[@]}") s. Fit $duck_same.

What \`cltv\`'s cost after the aggregation depends on (tuples from DuckDB; \`cltv fit bgnbd --count-col customers\`, whole process):

| rows | customers | --freq | tuples | fit s (median) | µs per tuple | peak RSS MB |
|---:|---:|---|---:|---:|---:|---:|
$(printf '%s\n' "${cost_rows[@]}")
EOF
)
echo "$report"
if [[ -n ${RESULTS_MD:-} ]]; then printf '\n%s\n' "$report" >>"$RESULTS_MD"; fi
