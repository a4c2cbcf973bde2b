#!/usr/bin/env bash
# `cltv clv --bootstrap` and `cltv predict --bootstrap` write the same bytes for any --threads: each
# replicate draws from its own stream (seed, index) and sums run in the
# customers' order. Usage: bootstrap_threads_test.sh CLTV (from the repository root).
set -euo pipefail
cltv=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for model in bgnbd pareto-nbd; do
  for threads in 1 2 5; do
    "$cltv" clv tests/data/fit-cdnow-200.csv --time-unit weeks --purchase-model "$model" \
      --bootstrap 30 --seed 9 --threads "$threads" --format json >"$dir/$model-$threads.json" 2>/dev/null
  done
  cmp "$dir/$model-1.json" "$dir/$model-2.json"
  cmp "$dir/$model-1.json" "$dir/$model-5.json"
  grep -q '"clv_interval":\[' "$dir/$model-1.json"
done
echo "clv --bootstrap: identical output for --threads 1, 2 and 5 (bgnbd, pareto-nbd)"
for threads in 1 2 5; do
  "$cltv" predict --model tests/data/model-200-bgnbd.json --model tests/data/model-200-gamma-gamma.json \
    tests/data/fit-cdnow-200.csv --horizon 13,39 --bootstrap 30 --seed 9 --threads "$threads" \
    --format json >"$dir/predict-$threads.json" 2>/dev/null
done
cmp "$dir/predict-1.json" "$dir/predict-2.json"
cmp "$dir/predict-1.json" "$dir/predict-5.json"
echo "predict --bootstrap: identical output for --threads 1, 2 and 5"
