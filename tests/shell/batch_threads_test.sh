#!/usr/bin/env bash
# calc, check and solve over a batch write the same bytes, stderr and exit
# code for any --threads:
#  - every golden case of calc, check and solve (tests/cli/cases) with
#    --threads 1 and --threads 2 added;
#  - RECORDS generated NDJSON scenarios (default 30,000: about 30 chunks) with
#    invalid records, records whose period the flags reinterpret (the warning
#    lists the first few in input order), as ndjson and csv, from NDJSON and
#    from CSV, with --threads 1, 2 and 3;
#  - a JSON array, whole and broken late;
#  - output that stops: a full disk (/dev/full) and a closed pipe, for calc
#    (which stops) and check (which owes every verdict).
# Usage: batch_threads_test.sh CLTV [RECORDS] (from the repository root).
set -euo pipefail
cltv=$1
count=${2:-30000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# shellcheck source=tests/shell/same_with_threads.sh
source "$(dirname "${BASH_SOURCE[0]}")/same_with_threads.sh"

# The last run of `same` exited with CODE and wrote at least LINES lines.
wrote() {
  grep -qx "$2" "$dir/rc-1" || { echo "FAIL: $1 exits $(cat "$dir/rc-1"), not $2: $(head -c 300 "$dir/err-1")" >&2; exit 1; }
  local lines
  lines=$(wc -l <"$dir/out-1")
  ((lines >= $3)) || { echo "FAIL: $1 wrote $lines lines, fewer than $3" >&2; exit 1; }
}

cases=0
for command in calc check solve; do
  for case_dir in tests/cli/cases/$command/*/; do
    mapfile -t args <"$case_dir/args"
    stdin=/dev/null
    [[ -f $case_dir/stdin ]] && stdin=$case_dir/stdin
    [[ " ${args[*]} " == *" --help "* ]] && continue
    same "$case_dir" 2 "$stdin" "${args[@]}"
    cases=$((cases + 1))
  done
done
echo "calc, check, solve: $cases golden cases identical with --threads 1 and 2"

# Scenarios of every kind: 1 in 997 invalid (an unknown field), 1 in 1,511 not
# JSON, 1 in 89 with period year (reinterpreted by --horizon), some that fail
# the 3x check, ids as numbers and as text.
awk -v n="$count" 'BEGIN {
  srand(20261205)
  for (i = 0; i < n; i++) {
    if (i % 1511 == 1510) { print "{\"id\": " i ", \"arpu\": 5"; continue }
    id = (i % 3 == 0) ? "\"s" i "\"" : i
    line = sprintf("{\"id\": %s, \"arpu\": %.2f, \"churn\": \"%.2f%%\", \"gross_margin\": %.2f, \"cac\": %.2f",
                   id, 5 + rand() * 200, 0.5 + rand() * 9, 0.3 + rand() * 0.6, 20 + rand() * 3000)
    if (i % 89 == 5) line = line ", \"period\": \"year\""
    if (i % 997 == 996) line = line ", \"arpuu\": 3"
    print line "}"
  }
}' >"$dir/scenarios.ndjson"
# The same scenarios as CSV input (the valid ones).
{
  echo "id,arpu,churn,gross_margin,cac"
  awk -v n="$count" 'BEGIN { srand(7); for (i = 0; i < n; i++)
    printf "c%d,%.2f,%.2f%%,%.2f,%.2f\n", i, 5 + rand() * 200, 0.5 + rand() * 9, 0.3 + rand() * 0.6, 20 + rand() * 3000 }'
} >"$dir/scenarios.csv"

in=$dir/scenarios.ndjson
same "calc ndjson" "2 3" /dev/null calc --input "$in" --horizon 36
wrote "calc ndjson" 2 "$count"
grep -q "warning: --horizon" "$dir/err-1" || { echo "FAIL: no period warning" >&2; exit 1; }
same "calc csv" "2 3" /dev/null calc --input "$in" --format csv
same "calc json (one thread: an array)" 2 /dev/null calc --input "$in" --format json
same "check ndjson" "2 3" /dev/null check --input "$in" --format ndjson --target 4
wrote "check ndjson" 2 "$count"
same "solve cac" "2 3" /dev/null solve cac --input "$in" --horizon 24
wrote "solve cac" 2 "$count"
same "solve limits csv" 2 /dev/null solve --input "$in" --format csv
same "calc from csv" "2 3" /dev/null calc --input "$dir/scenarios.csv"
wrote "calc from csv" 0 "$count"
same "check from stdin" 2 "$dir/scenarios.csv" check --input - --input-format csv --format csv
wrote "check from stdin" 1 "$count"
# A JSON array of the same scenarios (the records that are JSON), and one
# broken after its first two thirds: the reader's error comes late.
grep '}$' "$in" >"$dir/json.ndjson"
{ echo "["; sed '$!s/$/,/' "$dir/json.ndjson"; echo "]"; } >"$dir/array.json"
{ echo "["; sed -n "1,$((count * 2 / 3))s/$/,/p" "$dir/json.ndjson"; echo "{\"arpu\": 5"; } >"$dir/broken.json"
same "array to ndjson" "2 3" /dev/null calc --input "$dir/array.json" --format ndjson
wrote "array to ndjson" 2 $((count * 9 / 10))
same "broken array" 2 /dev/null check --input "$dir/broken.json" --format csv
wrote "broken array" 2 $((count / 2))
echo "generated batch of $count scenarios: identical with --threads 1, 2 and 3"

# Output that stops: a full disk, and a reader that goes away. The records up
# to the stop count as on one thread (the warning's, the invalid ones), and
# what the reader missed is not reported.
for t in 1 2 3; do
  rc=0
  "$cltv" calc --input "$in" --horizon 36 --threads "$t" >/dev/full 2>"$dir/full-err-$t" || rc=$?
  echo "$rc" >>"$dir/full-err-$t"
  for command in calc check; do
    set +o pipefail
    "$cltv" "$command" --input "$in" --format ndjson --horizon 36 --threads "$t" 2>"$dir/pipe-err-$command-$t" |
      head -c 100 >/dev/null
    echo "${PIPESTATUS[0]}" >>"$dir/pipe-err-$command-$t"
    set -o pipefail
  done
done
grep -q "cannot write output" "$dir/full-err-1" || { echo "FAIL: no write error on a full disk: $(cat "$dir/full-err-1")" >&2; exit 1; }
for t in 2 3; do
  for f in full-err pipe-err-calc pipe-err-check; do
    cmp -s "$dir/$f-1" "$dir/$f-$t" || {
      echo "FAIL: $f: --threads $t differs from --threads 1" >&2
      diff "$dir/$f-1" "$dir/$f-$t" >&2 || true
      exit 1
    }
  done
done
echo "a full disk and a closed pipe: the same stderr and exit code with --threads 1, 2 and 3"

# check owes the verdict of every record even when the reader stops early.
grep -qx 2 "$dir/pipe-err-check-1" ||
  { echo "FAIL: check into a closed pipe exits $(tail -n 1 "$dir/pipe-err-check-1"), not 2" >&2; exit 1; }
echo "check into a closed pipe: exit 2"

rc=0
"$cltv" calc --input "$in" --threads 0 >/dev/null 2>"$dir/err" || rc=$?
[[ $rc == 2 ]] && grep -q "^cltv: --threads must be a whole number from 1 to 256, got 0" "$dir/err" ||
  { echo "FAIL: --threads 0 exits $rc: $(cat "$dir/err")" >&2; exit 1; }
echo "--threads 0: exit 2"
