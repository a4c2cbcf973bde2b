#!/usr/bin/env bash
# `cltv fit` reads a summary's whole-number rows in one pass each
# (whole_number_rows) and leaves any other row to the general reader: the
# fit, the skipped-row note and the first error's line must be those of a
# reading that takes the general way on every row (the same summary with
# every field quoted). The summary spans several 1 MiB blocks, with rows the
# fast way cannot read (a decimal, quotes, a bad row, an empty line, CRLF)
# early, in the middle and late, and stamp columns as `cltv summarize`
# writes them.
# Usage: summary_fast_path_test.sh CLTV (from the repository root).
set -euo pipefail
cltv=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# 300,000 customers (about 3 blocks of 1 MiB, with ids and stamps), from a
# fixed seed; general.csv holds the same rows with
# every field quoted, so that the general reader reads every row.
awk -v fast="$dir/fast.csv" -v general="$dir/general.csv" '
function row(eol, f1, f2, f3, f4,    n, k, out, q) {
  n = split(f1 "," f2 "," f3 "," f4 ",12.5,1,D,2024-12-30", f, ",")
  out = ""; q = ""
  for (k = 1; k <= n; k++) { out = out (k > 1 ? "," : "") f[k]; q = q (k > 1 ? "," : "") "\"" f[k] "\"" }
  printf "%s%s", (quoted_id ? "\"" f1 "\"" substr(out, length(f1) + 1) : out), eol > fast
  printf "%s%s", q, eol > general
}
BEGIN {
  srand(20261206)
  header = "customer_id,frequency,recency,T,monetary_value,time_unit_days,freq,observation_end"
  print header > fast; print header > general
  for (i = 1; i <= 300000; i++) {
    # A BG/NBD-like history: purchases at a rate lam a day (spread over
    # customers), a dropout with probability p after each; T 30-329 days.
    T = 30 + int(rand() * 300); lam = (-log(rand())) ^ 2 / 15; p = 0.4 * rand()
    x = 0; t = 0; at = 0
    while (1) {
      at += -log(rand()) / lam
      if (at >= T) break
      x++; t = int(at)
      if (rand() < p) break
    }
    id = sprintf("C%07d", i)
    quoted_id = i == 150000                               # a quote: the general way
    if (i == 5) row("\n", id, "2.0", t, T)                # a decimal: the general way
    else if (i == 120000) row("\r\n", id, x, t, T)        # CRLF
    else if (i == 249990) { print "" > fast; print "" > general }  # an empty line
    else if (i == 250000) row("\n", id, 3, 50, 40)        # recency > T: a bad row
    else row("\n", id, x, t, T)
  }
}'
[[ $(wc -l <"$dir/fast.csv") == 300001 && $(wc -l <"$dir/general.csv") == 300001 ]]

run() {  # run NAME FILE ARGS…: stdout without the input's path and checksum, stderr without the file's name
  local name=$1 file=$2
  shift 2
  set +e
  "$cltv" fit bgnbd "$file" "$@" --format json >"$dir/$name.out" 2>"$dir/$name.err"
  echo $? >"$dir/$name.rc"
  set -e
  sed -i 's/,"input":{[^}]*}//' "$dir/$name.out"
  sed -i "s#$file#SUMMARY#g" "$dir/$name.err"
}

check_same() {
  for part in out err rc; do
    if ! cmp -s "$dir/fast.$part" "$dir/general.$part"; then
      echo "FAIL ($1): $part differs" >&2
      diff "$dir/fast.$part" "$dir/general.$part" | head -5 >&2
      exit 1
    fi
  done
}

# The first bad row (line 250,000 + 1) is fatal without --skip-bad-rows.
run fast "$dir/fast.csv"
run general "$dir/general.csv"
check_same "bad row fatal"
grep -q 'line 250001' "$dir/fast.err" || { echo "FAIL: no line 250001 in: $(cat "$dir/fast.err")" >&2; exit 1; }
[[ $(cat "$dir/fast.rc") == 2 ]] || { echo "FAIL: exit $(cat "$dir/fast.rc"), not 2" >&2; exit 1; }

# With --skip-bad-rows: the fit of the other rows, the same note.
run fast "$dir/fast.csv" --skip-bad-rows
run general "$dir/general.csv" --skip-bad-rows
check_same "--skip-bad-rows"
grep -q '"n":299998' "$dir/fast.out" || { echo "FAIL: not 299,998 customers: $(head -c 300 "$dir/fast.out")" >&2; exit 1; }
grep -q 'skipped 1 bad row' "$dir/fast.err" || { echo "FAIL: no note in: $(cat "$dir/fast.err")" >&2; exit 1; }
echo "fit: identical to the general reading, fatal and with --skip-bad-rows"
