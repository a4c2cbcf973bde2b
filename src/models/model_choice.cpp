#include "cltv/models/model_choice.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace cltv::models {

double akaike_information_criterion(double log_likelihood, int parameters) noexcept {
  return 2.0 * parameters - 2.0 * log_likelihood;
}

double bayesian_information_criterion(double log_likelihood, int parameters,
                                      double customers) noexcept {
  return parameters * std::log(customers) - 2.0 * log_likelihood;
}

std::string_view describe(preference_rule rule) noexcept {
  return rule == preference_rule::holdout_mean_absolute_error ? "lowest holdout mean absolute error"
                                                              : "lowest BIC";
}

result<model_comparison> compare_purchase_models(std::span<const model_kind> kinds,
                                                 std::span<const rfm_tuple> calibration,
                                                 std::span<const holdout_customer> holdout,
                                                 const fit_penalty& penalty) {
  if (kinds.empty()) return error{"compare", "name at least one model to compare"};
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (!is_purchase_model(kinds[i]))
      return error{"compare", "only purchase models compare (bgnbd, mbgnbd, pareto-nbd), got " +
                                  std::string(names_of(kinds[i]).name)};
    if (std::find(kinds.begin(), kinds.begin() + static_cast<std::ptrdiff_t>(i), kinds[i]) !=
        kinds.begin() + static_cast<std::ptrdiff_t>(i))
      return error{"compare", std::string(names_of(kinds[i]).name) + " is named twice"};
  }
  // Compressed once, fitted many times.
  auto tuples = compress_rfm(calibration);
  if (!tuples) return std::move(tuples).error();
  model_comparison out;
  for (const rfm_tuple& t : *tuples) out.customers += t.count;
  out.rule = holdout.empty() ? preference_rule::bic : preference_rule::holdout_mean_absolute_error;
  for (const model_kind kind : kinds) {
    model_candidate c;
    c.kind = kind;
    c.parameters = static_cast<int>(names_of(kind).parameters.size());
    auto fit = fit_purchase_model(kind, *tuples, penalty);
    if (!fit) {
      c.failure = fit.error().message;
      out.candidates.push_back(std::move(c));
      continue;
    }
    c.aic = akaike_information_criterion(fit->report.log_likelihood, c.parameters);
    c.bic = bayesian_information_criterion(fit->report.log_likelihood, c.parameters, out.customers);
    if (!holdout.empty()) {
      auto report = backtest(fit->model, holdout);
      if (!report) return std::move(report).error();
      c.holdout = std::move(*report);
    }
    c.fit = std::move(*fit);
    out.candidates.push_back(std::move(c));
  }
  const auto score = [&](const model_candidate& c) {
    return c.holdout ? c.holdout->mean_absolute_error : c.bic;
  };
  for (std::size_t i = 0; i < out.candidates.size(); ++i) {
    if (!out.candidates[i].fit) continue;
    if (!out.preferred || score(out.candidates[i]) < score(out.candidates[*out.preferred]))
      out.preferred = i;
  }
  return out;
}

}  // namespace cltv::models
