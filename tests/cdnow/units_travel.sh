#!/bin/sh
# Issue 14's "done when" for units (ctest cdnow/units-travel): a weekly
# summary piped into `cltv clv` is priced in weeks because the summary says
# so; the result equals the run that says `--time-unit weeks` explicitly
# (total CLV 79,222.75), and a --time-unit that contradicts the summary exits 2.
# Usage: sh tests/cdnow/units_travel.sh CLTV_BINARY DATA_DIR SCRATCH_DIR
# (run through tests/if_present.sh: Skipped when DATA_DIR is absent).
. "$(dirname "$0")/common.sh"
summarize() {
  "$cltv" summarize "$data/CDNOW_sample.txt" --delimiter whitespace --no-header --customer-col 1 \
    --date-col 3 --amount-col 5 --date-format %Y%m%d --freq W --observation-end 1997-09-30 "$@"
}

summarize | "$cltv" clv - --horizon 12 --drop-nonpositive >"$scratch/piped.txt" ||
  fail "summarize --freq W | clv - exited with $?"
summarize --time-unit weeks >"$scratch/weeks.csv" || fail "summarize --time-unit weeks exited with $?"
"$cltv" clv "$scratch/weeks.csv" --horizon 12 --drop-nonpositive --time-unit weeks \
  >"$scratch/explicit.txt" || fail "clv --time-unit weeks exited with $?"
cmp -s "$scratch/piped.txt" "$scratch/explicit.txt" ||
  fail "the piped run differs from the explicit --time-unit weeks run"
grep -q '^Total CLV  *79,222\.75$' "$scratch/piped.txt" ||
  fail "total CLV is not 79,222.75: $(grep '^Total CLV' "$scratch/piped.txt")"

"$cltv" clv "$scratch/weeks.csv" --horizon 12 --drop-nonpositive --time-unit days \
  >/dev/null 2>"$scratch/mismatch.txt"
status=$?
[ "$status" -eq 2 ] || fail "clv --time-unit days on a weekly summary exited with $status, not 2"
grep -q 'units of 1 day but the summary .* is in units of 7 days' "$scratch/mismatch.txt" ||
  fail "unexpected message: $(cat "$scratch/mismatch.txt")"
echo "units travel: the weekly summary is priced in weeks (total CLV 79,222.75)"
