# The lean jq program of the batch benchmarks (after bench/calc_defs.jq): only
# what the comparison is about, id, LTV and LTV:CAC; jq's best case.
calc as $r | {id, ltv: $r.ltv, ltv_cac_ratio: ($r.ltv / .cac)}
