#!/bin/sh
# --calibration-periods on CLVTools' apparel log (../shared/data/apparelTrans.csv,
# first date 2005-01-02): CLVTools' estimation.split = 104 weeks ends the
# calibration on 2006-12-31, so 104 weekly periods (or 728 daily ones) give
# the summary --calibration-end 2006-12-31 gives, unsorted or --sorted.
# Usage: sh calibration_periods_test.sh CLTV DATA_DIR (ctest apparel/calibration-periods)
set -u
cltv=$1
log=$2/apparelTrans.csv
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
columns="--customer-col Id --date-col Date --amount-col Price"
# The log sorted by date (header first), for --sorted.
{ head -n 1 "$log"; tail -n +2 "$log" | sort -t, -k2,2 -s; } > "$dir/sorted.csv" || exit 1
status=0
for case in "W 104" "D 728"; do
  set -- $case
  "$cltv" summarize "$log" $columns --freq "$1" --calibration-end 2006-12-31 --format json \
    > "$dir/by-date" || exit 1
  "$cltv" summarize "$log" $columns --freq "$1" --calibration-periods "$2" --format json \
    > "$dir/by-periods" || exit 1
  "$cltv" summarize "$dir/sorted.csv" $columns --freq "$1" --calibration-periods "$2" --sorted \
    --format json > "$dir/sorted-by-periods" || exit 1
  if ! cmp -s "$dir/by-date" "$dir/by-periods"; then
    echo "--freq $1 --calibration-periods $2 differs from --calibration-end 2006-12-31"
    status=1
  fi
  # Sorted input lists customers in another order: compare the records sorted.
  tr '{' '\n' < "$dir/by-date" | sed 's/[],}]*$//' | sort > "$dir/a"
  tr '{' '\n' < "$dir/sorted-by-periods" | sed 's/[],}]*$//' | sort > "$dir/b"
  if ! cmp -s "$dir/a" "$dir/b"; then
    echo "--freq $1 --calibration-periods $2 --sorted differs from --calibration-end 2006-12-31"
    status=1
  fi
  grep -o '"calibration_end":"[0-9-]*"' "$dir/by-periods"
done
exit $status
