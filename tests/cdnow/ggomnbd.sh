#!/bin/sh
# Gamma-Gompertz/NBD from the binary on CDNOW (ctest cdnow/ggomnbd, issue 20).
# The published fit (CLVTools' ggomnbd on the weekly CDNOW summary: r 0.55313,
# alpha 10.5758, s 0.60682, LL -9594.9762; ../shared/reference/models.md) lies
# at the Pareto/NBD limit b -> 0, where b and beta are not identified: assert
# r, alpha, s and the log-likelihood, that the output says the fit
# degenerates, that beta/b is Pareto/NBD's beta, and that predict, clv and
# backtest then agree with Pareto/NBD's (the limit model) to 0.5%.
# Usage: sh tests/cdnow/ggomnbd.sh CLTV_BINARY DATA_DIR SCRATCH_DIR
# (run through tests/if_present.sh: Skipped when DATA_DIR is absent).
. "$(dirname "$0")/common.sh"
summary="$data/cdnow_customers_summary.csv"

# The number after "key": in a one-line JSON file.
json_number() {
  sed -n "s/.*\"$2\":\([-0-9.eE+]*\).*/\1/p" "$1"
}
# |a - b| <= tolerance, else fail with the label.
near() {
  awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' ||
    fail "$1 is $2, not $3 within $4"
}

"$cltv" fit ggomnbd "$summary" --time-unit weeks >"$scratch/gg.json" 2>"$scratch/gg.err" ||
  fail "fit ggomnbd exited with $?: $(cat "$scratch/gg.err")"
"$cltv" fit pareto-nbd "$summary" --time-unit weeks >"$scratch/pnbd.json" 2>/dev/null ||
  fail "fit pareto-nbd exited with $?"
# The parameters sit inside "parameters":{…}; the first "r", "alpha", … are theirs.
params=$(sed 's/.*"parameters":{\([^}]*\)}.*/\1/' "$scratch/gg.json")
printf '{%s}\n' "$params" >"$scratch/gg-params.json"
near r "$(json_number "$scratch/gg-params.json" r)" 0.55313 0.002
near alpha "$(json_number "$scratch/gg-params.json" alpha)" 10.5758 0.05
near s "$(json_number "$scratch/gg-params.json" s)" 0.60682 0.005
near log-likelihood "$(json_number "$scratch/gg.json" log_likelihood)" -9594.9762 0.01
error=$(json_number "$scratch/gg.json" integration_error)
near integration_error "$error" 0 1e-6

grep -q '"degenerate":"the Gompertz hazard rises by less than 1%' "$scratch/gg.json" ||
  fail "the model file does not say the fit degenerates"
grep -q 'the GGompertz/NBD model degenerates: .*only beta/b = ' "$scratch/gg.err" ||
  fail "stderr does not say the fit degenerates: $(cat "$scratch/gg.err")"
pnbd_params=$(sed 's/.*"parameters":{\([^}]*\)}.*/\1/' "$scratch/pnbd.json")
printf '{%s}\n' "$pnbd_params" >"$scratch/pnbd-params.json"
ratio=$(awk -v b="$(json_number "$scratch/gg-params.json" b)" \
  -v beta="$(json_number "$scratch/gg-params.json" beta)" 'BEGIN { print beta / b }')
pareto_beta=$(json_number "$scratch/pnbd-params.json" beta)
near "beta/b (Pareto/NBD's beta $pareto_beta)" "$ratio" "$pareto_beta" "$(awk -v p="$pareto_beta" 'BEGIN { print 0.02 * p }')"

# The table says the same, with the integration check.
"$cltv" fit ggomnbd "$summary" --time-unit weeks --format table >"$scratch/gg.txt" 2>/dev/null ||
  fail "fit ggomnbd --format table exited with $?"
grep -q '^degenerate .*only beta/b = ' "$scratch/gg.txt" || fail "the table has no degenerate line"
grep -q '^integration .* against adaptive Gauss-Kronrod' "$scratch/gg.txt" ||
  fail "the table has no integration line"

# At the limit, the predictions are Pareto/NBD's.
total() {  # the number on the line that starts with $2 in file $1
  sed -n "s/^$2  *\([0-9,.]*\).*/\1/p" "$1" | tr -d ,
}
for model in gg pnbd; do
  "$cltv" predict --model "$scratch/$model.json" "$summary" --horizon 39 --format table \
    >"$scratch/predict-$model.txt" || fail "predict with $model exited with $?"
  "$cltv" clv "$summary" --model "$scratch/$model.json" --time-unit weeks --spend-per-purchase 30 \
    --horizon 24 --format table >"$scratch/clv-$model.txt" || fail "clv with $model exited with $?"
done
within_half_percent() {
  awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= 0.005 * b) }' ||
    fail "$1: GGompertz/NBD $2 against Pareto/NBD $3 (more than 0.5% apart)"
}
within_half_percent "expected purchases in 39 weeks" "$(total "$scratch/predict-gg.txt" 'Expected purchases')" \
  "$(total "$scratch/predict-pnbd.txt" 'Expected purchases')"
within_half_percent "total CLV over 24 months" "$(total "$scratch/clv-gg.txt" 'Total CLV')" \
  "$(total "$scratch/clv-pnbd.txt" 'Total CLV')"

# backtest --model ggomnbd from the master log, against --model pareto-nbd.
for model in ggomnbd pareto-nbd; do
  "$cltv" backtest "$data/CDNOW_master.txt" --delimiter whitespace --customer-col 1 --date-col 2 \
    --amount-col 4 --date-format %Y%m%d --freq W --calibration-end 1997-09-30 \
    --observation-end 1998-06-30 --model "$model" >"$scratch/backtest-$model.txt" 2>/dev/null ||
    fail "backtest --model $model exited with $?"
done
predicted() {
  sed -n 's/^Holdout purchases *predicted \([0-9,.]*\),.*/\1/p' "$1" | tr -d ,
}
within_half_percent "backtest's predicted holdout purchases" \
  "$(predicted "$scratch/backtest-ggomnbd.txt")" "$(predicted "$scratch/backtest-pareto-nbd.txt")"
echo "GGompertz/NBD on CDNOW: r, alpha, s and LL as published; degenerate said; integration error $error; predict, clv and backtest at Pareto/NBD's"
