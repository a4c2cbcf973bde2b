#!/usr/bin/env bash
# The commands that read a transaction log write the same bytes, stderr and
# exit code for any --threads:
#  - every golden case of `cltv summarize` (tests/cli/cases/summarize) with
#    --threads 1 and --threads 2 added;
#  - a shuffled log of ROWS rows (default 1,000,000: about 30 blocks of 1 MiB)
#    through summarize (plain, split, --sorted), metrics and predict --log, with
#    --threads 1, 2 and 3;
#  - the same log with errors in a late block: a bad row, a --sorted order
#    violation, a quote left open; and with --skip-bad-rows.
# Usage: log_threads_test.sh CLTV [ROWS] (from the repository root).
set -euo pipefail
cltv=$1
rows=${2:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# shellcheck source=tests/shell/same_with_threads.sh
source "$(dirname "${BASH_SOURCE[0]}")/same_with_threads.sh"

# The last run of `same` succeeded (a test that fails both ways proves nothing).
ok() {
  grep -qx 0 "$dir/rc-1" || { echo "FAIL: $1 exits $(cat "$dir/rc-1"): $(head -c 300 "$dir/err-1")" >&2; exit 1; }
  [[ -s $dir/out-1 ]] || { echo "FAIL: $1 wrote nothing" >&2; exit 1; }
}

cases=0
for case_dir in tests/cli/cases/summarize/*/; do
  mapfile -t args <"$case_dir/args"
  stdin=/dev/null
  [[ -f $case_dir/stdin ]] && stdin=$case_dir/stdin
  # --help prints the options, not a summary.
  [[ " ${args[*]} " == *" --help "* ]] && continue
  same "$case_dir" 2 "$stdin" "${args[@]}"
  cases=$((cases + 1))
done
echo "summarize: $cases golden cases identical with --threads 1 and 2"

# A shuffled log: 1 in 50 ids quoted with a comma, 1 in 40 rows with a quoted
# note over two lines, some CRLF line ends; 20,000 customers over 2023-2024.
# With sorted=1 the dates rise row by row (for --sorted).
generate() {
  awk -v rows="$rows" -v sorted="$1" 'BEGIN {
    srand(20261205)
    print "customer_id,date,amount,note"
    for (i = 0; i < rows; i++) {
      c = int(rand() * 20000)
      id = (c % 50 == 0) ? "\"C" c ", Ltd\"" : "C" c
      d = sorted ? 1 + int(i * 672 / rows) : 1 + int(rand() * 672)
      y = (d > 336) ? 2024 : 2023
      dd = (d > 336) ? d - 336 : d
      m = 1 + int((dd - 1) / 28)
      day = 1 + (dd - 1) % 28
      amount = sprintf("%.2f", 1 + rand() * 200)
      note = (i % 40 == 0) ? "\"first line\nsecond, line\"" : ""
      printf "%s,%d-%02d-%02d,%s,%s%s\n", id, y, m, day, amount, note, (i % 9 == 0) ? "\r" : ""
    }
  }'
}
log=$dir/log.csv
generate 0 >"$log"
generate 1 >"$dir/sorted.csv"

same "summarize, $rows rows" "2 3" /dev/null summarize "$log"
ok "summarize, $rows rows"
same "summarize split" 2 /dev/null summarize "$log" --calibration-end 2024-06-30 --format ndjson
ok "summarize split"
same "summarize --calibration-periods" 2 /dev/null summarize "$log" --calibration-periods 40 --freq W
ok "summarize --calibration-periods"
same "summarize --sorted" 2 /dev/null summarize "$dir/sorted.csv" --sorted
ok "summarize --sorted"
same "summarize from stdin" 2 "$log" summarize - --freq M
ok "summarize from stdin"
same "metrics" 2 /dev/null metrics "$log" --period month --format csv
ok "metrics"
same "metrics by cohort" 2 /dev/null metrics "$log" --by cohort --format csv
ok "metrics by cohort"
same "predict --log" 2 /dev/null predict --model tests/data/model-200-bgnbd.json --log "$log" \
  --freq W --horizon 13 --format csv
ok "predict --log"
gzip -1 -c "$log" >"$dir/log.csv.gz"
same "summarize gzip" 2 /dev/null summarize "$dir/log.csv.gz"
ok "summarize gzip"
echo "summarize, metrics, predict --log: $rows rows identical with --threads 1, 2 (and 3)"

# Errors in a late block: the first one, its line, and what came before.
head -n $((rows * 9 / 10)) "$log" >"$dir/bad.csv"
echo "C1,2024-02-30,1.00," >>"$dir/bad.csv"
tail -n $((rows / 20)) "$log" >>"$dir/bad.csv"
echo "C2,2024-01-01,abc," >>"$dir/bad.csv"
same "bad date" 2 /dev/null summarize "$dir/bad.csv"
grep -q 'line .*2024-02-30' "$dir/err-1"
same "bad rows skipped" 2 /dev/null summarize "$dir/bad.csv" --skip-bad-rows
ok "bad rows skipped"
grep -q 'skipped 2 bad rows' "$dir/err-1"
{ head -n $((rows * 8 / 10)) "$dir/sorted.csv"; echo "C3,2023-01-01,5.00,"; tail -n 1000 "$dir/sorted.csv"; } >"$dir/unsorted.csv"
same "--sorted violated" 2 /dev/null summarize "$dir/unsorted.csv" --sorted
grep -q 'earlier than a date before it' "$dir/err-1"
{ head -n $((rows * 9 / 10)) "$log"; echo "\"C4,2024-01-01,1.00,"; tail -n 1000 "$log"; } >"$dir/open.csv"
same "quote left open" 2 /dev/null summarize "$dir/open.csv"
grep -q 2 "$dir/rc-1"
echo "errors in a late block: the same first error with --threads 1 and 2"
