#pragma once
// The SQL that attaches fitted models' predictions to every customer inside
// the user's database: the summary computed there (summary_query.hpp), then
// the closed forms a model has (BG/NBD and MBG/NBD P(alive), Gamma-Gamma
// expected spend) and a join to the predictions `cltv predict` wrote for the
// distinct (frequency, recency, T) tuples, loaded as a table.

#include <optional>
#include <string>

#include "cltv/error.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/purchase_model.hpp"
#include "sql/summary_query.hpp"

namespace cltv::sql {

struct score_query_options {
  /// The log, its columns and the summary's options (output is not read).
  summary_query_options summary;
  std::optional<models::purchase_model> purchase;
  std::optional<models::gamma_gamma_params> gamma_gamma;
  /// The table `cltv predict --model M TUPLES --horizon H [--months N]` was
  /// loaded into (frequency, recency, T, expected_purchases, p_alive,
  /// [discounted_purchases]); empty: closed forms only.
  std::string predictions_table;
  /// Add discounted_purchases (from the predictions table, made with
  /// --months) and clv = discounted_purchases × expected_spend × margin.
  bool clv = false;
  double gross_margin = 1;
};

/// The query, ending with ";\n": one row per customer of the summary, in
/// customer_id order: customer_id, frequency, recency, T (monetary_value
/// with a spend model), then p_alive (purchase model), expected_purchases
/// (with a predictions table), discounted_purchases (clv), expected_spend
/// (Gamma-Gamma: E[M | x, m̄] where x > 0 and m̄ > 0, else the population
/// mean, as `cltv clv` values spend) and clv. A customer whose tuple is not
/// in the predictions table gets NULL there. Fails, naming the field, when
/// a column needs what is not given: Pareto/NBD has no closed form (a
/// predictions table is needed), clv needs a purchase model, a spend model
/// and a predictions table.
[[nodiscard]] result<std::string> score_query(const score_query_options& options);

}  // namespace cltv::sql
