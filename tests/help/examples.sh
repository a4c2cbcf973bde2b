#!/bin/bash
# Runs every `Examples:` line of `cltv --help` and of each command's --help
# (and its subcommands', as `cltv plot tracking --help`)
# (ctest help/examples), so that no help example goes stale.
# Usage: bash tests/help/examples.sh CLTV_BINARY SOURCE_DIR SCRATCH_DIR [SHARED_DATA_DIR [PG_STATE]]
#
# Each example runs in bash with `set -o pipefail`, in a scratch directory that
# holds the files the examples name (copied or made by cltv from the
# repository's data, below), with HOME pointing into it. An example passes when
# it exits 0, or N when its comment says "exit N". Examples that read the
# CDNOW files are skipped, and reported, when SHARED_DATA_DIR (../shared/data)
# is missing. The --from postgresql:///shop examples run against the pg
# fixture's cluster (PG_STATE: pg_cluster.sh's state file), found through the
# PG* variables as a user's would be, with log.csv as its table orders; they
# are skipped, and reported, without it. Exit 0 all passed, 1 one failed, 2
# the setup failed.
set -u
cltv=$1
root=$2
scratch=$3
shared=${4:-}
pg_state=${5:-}

rm -rf "$scratch"
mkdir -p "$scratch/bin" "$scratch/home/.local/share/bash-completion/completions" \
  "$scratch/home/.config/fish/completions" || exit 2
ln -s "$cltv" "$scratch/bin/cltv" || exit 2
export PATH="$scratch/bin:$PATH" HOME="$scratch/home" NO_COLOR=1
cd "$scratch" || exit 2
ln -s "$root/examples" examples && mkdir tests && ln -s "$root/tests/data" tests/data || exit 2

# The files the examples name.
setup() {
  # CDNOW's 300-customer sample as a CSV log of 2023-01-01 … 2024-06-30
  # (26 years later; neither span holds a 29 February), where the models fit.
  { echo customer_id,date,amount; awk '{ printf "%s,%04d-%s-%s,%s\n", $1, substr($3, 1, 4) + 26, substr($3, 5, 2),
                substr($3, 7, 2), $5 }' "$root/tests/data/cdnow-sample-300.txt" |
    sort -t, -k2,2 -s; } > log.csv &&
    cp log.csv transactions.csv && gzip -k log.csv &&
    cp "$root/examples/batch.ndjson" scenarios.ndjson &&
    cp "$root/examples/customers.csv" customers.csv && gzip -k customers.csv &&
    sed '1s/.*/account,signed,cancelled/' customers.csv > contracts.csv &&
    printf 'customer_id,years_active\na,1.5\nb,2\nc,0.25\nd,4\n' > tenure.csv &&
    cp "$root/tests/data/fit-sbg-fader-hardie-2007.csv" survival.csv &&
    cp "$root/tests/data/fit-cdnow-tuples.csv" tuples.csv &&
    cp "$root/tests/data/fit-donations.csv" donations.csv &&
    cp "$root/tests/data/transactions-drive-300.csv" drive.csv &&
    cltv fit sbg survival.csv --column highend > sbg.json &&
    cltv summarize log.csv --freq W > summary.csv &&
    cltv fit bgnbd summary.csv > bgnbd.json &&
    cltv fit gamma-gamma summary.csv > gg.json &&
    awk -F, 'NR == 1 { print "customer_id,Gender,Channel"; next }
             { print $1 "," ($1 % 2) "," (($1 * 7) % 10 < 3) }' summary.csv > attributes.csv &&
    sqlite3 shop.db "CREATE TABLE orders (customer_id TEXT, date TEXT, amount REAL)" \
      ".import --csv --skip 1 log.csv orders" &&
    cltv summarize "$root/tests/data/cdnow-sample-300.txt" --delimiter whitespace --no-header \
      --customer-col 1 --date-col 3 --amount-col 5 --date-format %Y%m%d --freq W \
      --observation-end 1997-09-30 > cdnow_summary.csv || return 1
  if [ -n "$pg_state" ] && [ -s "$pg_state" ]; then
    export PGHOST PGUSER=postgres
    PGHOST=$(cat "$pg_state")
    tr -d '\r' < log.csv > orders.csv && # (log.csv's lines end in CRLF, as CDNOW's do)
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS shop" -c "CREATE DATABASE shop" &&
      psql -X -q -v ON_ERROR_STOP=1 -d shop \
        -c "CREATE TABLE orders (customer_id text, date date, amount numeric(12, 2))" \
        -c "\\copy orders FROM 'orders.csv' WITH (FORMAT csv, HEADER true)" || return 1
  fi
  if [ -n "$shared" ] && [ -f "$shared/CDNOW_master.txt" ]; then
    ln -s "$shared/CDNOW_master.txt" CDNOW_master.txt &&
      ln -s "$shared/CDNOW_sample.txt" CDNOW_sample.txt || return 1
  fi
}
if ! setup > setup.log 2>&1; then
  echo "help examples: setting up the fixtures failed:"
  cat setup.log
  exit 2
fi

# The example lines of one help text, a line ending in "\" joined to the next.
examples_of() {
  awk '/^Examples:/ { on = 1; next }
       on && /^$/ { if (prev != "") print prev; prev = ""; on = 0 }
       on && /^      #/ { sub(/^ +/, ""); if (prev != "") print prev " " $0; prev = ""; next }
       on { if (prev != "") print prev; prev = ""; sub(/^  /, ""); line = line $0
            if (line ~ /\\$/) { sub(/\\$/, "", line); next }
            prev = line; line = "" }
       END { if (prev != "") print prev }'
}

subcommands_of() {
  awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }'
}
# Each command, and each of a command's own subcommands as "plot/tracking".
commands=""
for command in $(cltv --help | subcommands_of); do
  commands="$commands $command"
  for sub in $(cltv "$command" --help | subcommands_of); do commands="$commands $command/$sub"; done
done
passed=0 failed=0 skipped=0
for command in "" $commands; do
  command=${command//\// }
  # shellcheck disable=SC2086 # "" is the top-level help
  while IFS= read -r example; do
    [ -n "$example" ] || continue
    where="cltv $command --help"
    case $example in
      *postgresql://*)
        if [ -z "${PGHOST:-}" ]; then
          echo "skip ($where, no PostgreSQL fixture): $example"
          skipped=$((skipped + 1))
          continue
        fi ;;
      *CDNOW_*)
        if [ ! -e CDNOW_master.txt ]; then
          echo "skip ($where, no ../shared data): $example"
          skipped=$((skipped + 1))
          continue
        fi ;;
    esac
    expected=0
    case $example in *"exit 1"*) expected=1 ;; esac
    shell=bash
    case $example in *"completion zsh"*"compinit"*) shell=zsh ;; esac
    if [ $shell = zsh ]; then
      if ! command -v zsh > /dev/null; then
        echo "skip ($where, zsh not installed): $example"
        skipped=$((skipped + 1))
        continue
      fi
      zsh -c "autoload -Uz compinit && compinit -u && $example" > out.txt 2>&1 < /dev/null
    else
      bash -c "set -o pipefail; $example" > out.txt 2>&1 < /dev/null
    fi
    rc=$?
    if [ $rc -eq $expected ]; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      echo "FAIL ($where, exit $rc, expected $expected): $example"
      sed 's/^/    /' out.txt | head -5
    fi
  done < <(cltv $command --help | examples_of)
done
echo "help examples: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
