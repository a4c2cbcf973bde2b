# cltv calc's LTV in jq, for the batch benchmarks (bench/ndjson_batch.sh,
# bench/ndjson_batch_threads.sh): the formulas are spelled out above the
# place ndjson_batch.sh loads this file.
def rate: if type == "string" then (rtrimstr("%") | tonumber) / 100 else . end;
def calc:
  ((.gross_margin // 1) | rate) as $gm
  | (.arpu * $gm - (.cost_to_serve // 0)) as $m
  | ((.discount_rate // 0) | rate) as $d
  | .horizon as $h
  | if .lifetime != null then
      ([.lifetime, ($h // .lifetime)] | min) as $l
      | {m: $m, life: .lifetime,
         ltv: (if $d == 0 then $m * $l else $m * (1 + $d) * (1 - pow(1 + $d; -$l)) / $d end)}
    else
      (.churn | rate) as $c
      | ((1 - $c) / (1 + $d)) as $q
      | {m: $m, life: (if $c > 0 then 1 / $c else null end),
         ltv: (if $h == null then
                 (if $d == 0 then $m / $c else $m * (1 + $d) / ($c + $d) end)
               elif $q == 1 then $m * $h
               else $m * (1 - pow($q; $h)) / (1 - $q) end)}
    end;
