#pragma once
// Which purchase model to use: fit several to the same customers and compare
// them by information criteria and, when the customers have a holdout, by how
// well each predicts it (the errors of backtest.hpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/backtest.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/model_kind.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// Akaike's information criterion, 2k − 2 LL.
[[nodiscard]] double akaike_information_criterion(double log_likelihood, int parameters) noexcept;

/// Schwarz's Bayesian information criterion, k ln n − 2 LL, for n customers.
[[nodiscard]] double bayesian_information_criterion(double log_likelihood, int parameters,
                                                    double customers) noexcept;

/// One model of a comparison: its fit and criteria, or why it failed.
struct model_candidate {
  model_kind kind = model_kind::bgnbd;
  std::optional<purchase_model_fit> fit;  ///< nullopt: the fit failed (`failure` says why)
  std::string failure;
  int parameters = 0;  ///< k: free parameters of the model
  double aic = 0;
  double bic = 0;
  std::optional<backtest_report> holdout;  ///< when the comparison has a holdout
};

/// How the preferred model was chosen.
enum class preference_rule {
  holdout_mean_absolute_error,  ///< the lowest, when there is a holdout
  bic,                          ///< the lowest, otherwise
};

struct model_comparison {
  std::vector<model_candidate> candidates;  ///< in the order asked for
  std::optional<std::size_t> preferred;     ///< index into candidates; nullopt: none fitted
  preference_rule rule = preference_rule::bic;
  double customers = 0;  ///< n of the fits (and of BIC)
};

/// The rule in words: "lowest holdout mean absolute error".
[[nodiscard]] std::string_view describe(preference_rule rule) noexcept;

/// Fits each purchase model of `kinds` to `calibration` (with `penalty`) and,
/// when `holdout` is not empty, backtests each fit on it (its customers'
/// calibration rows should be `calibration`'s). The preferred model has the
/// lowest holdout mean absolute error when there is a holdout, otherwise the
/// lowest BIC; ties go to the first asked for. A model whose fit fails stays
/// in the comparison with the reason. Fails when `kinds` is empty, repeats a
/// model or names one that is not a purchase model, and on bad rows.
///
/// Example:
///   auto c = compare_purchase_models({{model_kind::bgnbd, model_kind::pareto_nbd}}, rows, {});
///   // c->candidates[c->preferred.value()].kind: the model with the lower BIC
[[nodiscard]] result<model_comparison> compare_purchase_models(
    std::span<const model_kind> kinds, std::span<const rfm_tuple> calibration,
    std::span<const holdout_customer> holdout, const fit_penalty& penalty = {});

}  // namespace cltv::models
