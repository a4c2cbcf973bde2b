#!/usr/bin/env bash
# The progress line: on a terminal (a pseudo-terminal from util-linux's
# `script`), off with --quiet or -q, never when stderr is not a terminal, and
# erased before an error. CLTV_PROGRESS_DELAY=0 shows it at once.
# Usage: progress_test.sh path/to/cltv (run from the source tree's root)
set -uo pipefail
cltv=$1
command -v script >/dev/null || { echo "SKIP: no script(1) to make a terminal"; exit 77; }
script -qec true /dev/null >/dev/null 2>&1 || { echo "SKIP: no pseudo-terminal"; exit 77; }
export CLTV_PROGRESS_DELAY=0
summary=tests/data/fit-cdnow-summary-200.csv
failures=0
check() {  # check NAME CONDITION-TEXT OUTPUT
  if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; printf '%s\n' "$3" | od -c | head -5; failures=$((failures + 1)); fi
}
on_terminal() { script -qec "$1" /dev/null; }

out=$(on_terminal "'$cltv' fit pareto-nbd $summary > /dev/null")
check "a fit shows its progress on a terminal" '[[ $out == *"cltv: fitting pareto-nbd to 200 rows"* ]]' "$out"
check "and erases it" '[[ $out == *$'"'"'\r\033[K'"'"' ]]' "$out"
out=$(on_terminal "'$cltv' fit pareto-nbd $summary --quiet > /dev/null")
check "--quiet hides it" '[[ -z $out ]]' "$out"
out=$(on_terminal "'$cltv' -q fit pareto-nbd $summary > /dev/null")
check "-q before the command hides it" '[[ -z $out ]]' "$out"
out=$(on_terminal "'$cltv' clv tests/data/fit-cdnow-200.csv --time-unit weeks --format csv > /dev/null")
check "clv counts the customers it values" '[[ $out == *"valuing customers"*"of 200"* ]]' "$out"
out=$("$cltv" fit pareto-nbd $summary 2>&1 >/dev/null)
check "not on a pipe" '[[ -z $out ]]' "$out"
out=$(on_terminal "'$cltv' predict --model tests/data/model-cdnow-bgnbd.json $summary --horizon -1 > /dev/null")
check "an error starts a clean line" '[[ $out == *"cltv: horizon must be >= 0, got -1"* && $out != *"s (--quiet hides this)cltv:"* ]]' "$out"
exit $((failures > 0))
