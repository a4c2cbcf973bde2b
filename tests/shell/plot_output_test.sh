#!/usr/bin/env bash
# `cltv plot -o FILE` writes the file whole or not at all: the chart equals
# what stdout gets, a new file gets the usual mode (0666 less the umask), an
# existing file is replaced only by a complete chart, and a failure (bad
# input, a directory in the way, a read-only directory) leaves neither a
# partial file nor a temporary one behind.
# Usage: plot_output_test.sh path/to/cltv (run from the source tree's root)
set -uo pipefail
cltv=$1
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
failures=0
check() {  # check NAME CONDITION
  if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
leftovers() { find "$work" -name '.*.??????' | wc -l; }
scenario=(--arpu 50 --churn 4% --cac 300)

umask 022
"$cltv" plot payback "${scenario[@]}" -o "$work/payback.svg"
check "writes the file" '[[ -s $work/payback.svg ]]'
check "the same bytes as stdout" 'cmp -s "$work/payback.svg" <("$cltv" plot payback "${scenario[@]}")'
check "mode 0644 under umask 022" '[[ $(stat -c %a "$work/payback.svg") == 644 ]]'

cp "$work/payback.svg" "$work/before.svg"
"$cltv" plot payback --arpu 50 --churn 4% --horizon 0 -o "$work/payback.svg" 2>/dev/null
check "bad input exits 2" '[[ $? == 2 ]]'
check "and leaves the old file as it was" 'cmp -s "$work/payback.svg" "$work/before.svg"'

mkdir "$work/a-directory"
"$cltv" plot payback "${scenario[@]}" -o "$work/a-directory" 2>"$work/err"
check "a directory in the way exits 2" '[[ $? == 2 ]]'
check "with one cltv: line naming it" '[[ $(wc -l < "$work/err") == 1 && $(cat "$work/err") == "cltv: cannot write \"$work/a-directory\""* ]]'

mkdir "$work/read-only"
chmod a-w "$work/read-only"
if [[ $(id -u) != 0 ]]; then  # root may write anywhere
  "$cltv" plot payback "${scenario[@]}" -o "$work/read-only/payback.svg" 2>/dev/null
  check "a read-only directory exits 2" '[[ $? == 2 ]]'
  check "and holds no file" '[[ ! -e $work/read-only/payback.svg ]]'
fi
check "no temporary file is left anywhere" '[[ $(leftovers) == 0 ]]'
exit $((failures > 0))
