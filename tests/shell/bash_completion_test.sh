#!/usr/bin/env bash
# Sources the generated bash completion and asks it what it completes, as bash
# does on <Tab>: COMP_WORDS and COMP_CWORD in, COMPREPLY out.
# Usage: bash_completion_test.sh build/.../shell/cltv.bash
set -uo pipefail
# shellcheck source=/dev/null
source "$1"
complete -p cltv >/dev/null || { echo "FAIL: no completion registered for cltv"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
touch "$scratch/log.csv" "$scratch/log.ndjson" "$scratch/other.txt"

failures=0
# expect WORD... -- EXPECTED...: the last WORD is the one being completed (""
# for a new word); bash splits "--format=csv" into "--format" "=" "csv".
expect() {
  local words=() want=()
  while [[ $1 != -- ]]; do words+=("$1"); shift; done
  shift
  want=("$@")
  COMP_WORDS=("${words[@]}")
  COMP_CWORD=$((${#words[@]} - 1))
  COMPREPLY=()
  _cltv
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ')
  local expected
  expected=$(printf '%s\n' "${want[@]}" | sort | paste -sd' ')
  if [[ $got == "$expected" ]]; then
    echo "ok   ${words[*]}| -> $got"
  else
    echo "FAIL ${words[*]}| -> '$got', expected '$expected'"
    failures=$((failures + 1))
  fi
}

expect cltv ca -- calc
expect cltv c -- calc check clv completion convert
expect cltv "" -- calc check solve grid plot report convert summarize metrics lifespan fit predict clv backtest sql completion
expect cltv --v -- --version
expect cltv calc --ch -- --churn
expect cltv calc --arpu 50 --ch -- --churn
expect cltv check --arpu 50 --cac 300 --ta -- --target
expect cltv calc --format "" -- table json ndjson csv
expect cltv calc --format = n -- ndjson
expect cltv calc -f c -- csv
expect cltv calc --period "" -- month year
expect cltv check --color a -- auto always
expect cltv calc --churn "" --
expect cltv calc --input "$scratch/log." -- "$scratch/log.csv" "$scratch/log.ndjson"
expect cltv summarize "$scratch/o" -- "$scratch/other.txt"
expect cltv summarize --freq W "$scratch/log.n" -- "$scratch/log.ndjson"
expect cltv summarize --input-format "" -- csv ndjson
expect cltv metrics --by c -- cohort
expect cltv fit "" --
expect cltv fit bgnbd "$scratch/log.c" -- "$scratch/log.csv"
expect cltv fit --format json bgnbd "$scratch/log.c" -- "$scratch/log.csv"
expect cltv completion "" -- bash zsh fish
expect cltv completion z -- zsh
expect cltv completion --h -- --help

if ((failures > 0)); then
  echo "$failures completion case(s) failed"
  exit 1
fi
