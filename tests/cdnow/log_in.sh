#!/bin/sh
# Logs straight in (issue 14, ctest cdnow/log-in): `cltv clv --log` and `cltv
# predict --log` on the CDNOW master log give what `cltv summarize … | cltv
# clv -` (and `| cltv predict -`) give, byte for byte.
# Usage: sh tests/cdnow/log_in.sh CLTV_BINARY DATA_DIR SCRATCH_DIR
# (run through tests/if_present.sh: Skipped when DATA_DIR is absent).
. "$(dirname "$0")/common.sh"
# CDNOW_master.txt has a header: customer_id date number_of_cds dollar_value.
read_options() {
  echo --delimiter whitespace --amount-col dollar_value --date-format %Y%m%d --freq W \
    --observation-end 1997-06-30
}
# shellcheck disable=SC2046 # the options are words
"$cltv" summarize "$data/CDNOW_master.txt" $(read_options) >"$scratch/summary.csv" ||
  fail "summarize exited with $?"

# shellcheck disable=SC2046
"$cltv" clv --log "$data/CDNOW_master.txt" $(read_options) --horizon 12 --drop-nonpositive \
  >"$scratch/log.txt" || fail "clv --log exited with $?"
"$cltv" clv - --horizon 12 --drop-nonpositive <"$scratch/summary.csv" >"$scratch/piped.txt" ||
  fail "clv - exited with $?"
cmp -s "$scratch/log.txt" "$scratch/piped.txt" || fail "clv --log differs from summarize | clv -"
grep -q '^Total CLV  *944,406\.10$' "$scratch/log.txt" ||
  fail "total CLV is not 944,406.10: $(grep '^Total CLV' "$scratch/log.txt")"

"$cltv" fit bgnbd "$scratch/summary.csv" >"$scratch/bgnbd.json" || fail "fit exited with $?"
# shellcheck disable=SC2046
"$cltv" predict --model "$scratch/bgnbd.json" --log "$data/CDNOW_master.txt" $(read_options) \
  --horizon 52 >"$scratch/log.csv" || fail "predict --log exited with $?"
"$cltv" predict --model "$scratch/bgnbd.json" - --horizon 52 <"$scratch/summary.csv" \
  >"$scratch/piped.csv" || fail "predict - exited with $?"
cmp -s "$scratch/log.csv" "$scratch/piped.csv" ||
  fail "predict --log differs from summarize | predict -"
echo "logs straight in: clv --log and predict --log equal the summarize pipe (total CLV 944,406.10)"
