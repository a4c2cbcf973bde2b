#include "cltv/survival_curve.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "cltv/models/sbg.hpp"
#include "cltv/number.hpp"
#include "cltv/retention.hpp"

namespace cltv {

namespace {

// Checks the cohorts as fit_sbg reads them: counts that never increase, the
// first above 0. Returns the longest cohort's last period.
result<std::size_t> check_observed(std::span<const std::vector<double>> observed) {
  std::size_t longest = 0;
  for (std::size_t c = 0; c < observed.size(); ++c) {
    const std::vector<double>& counts = observed[c];
    const std::string which =
        observed.size() > 1 ? "cohort " + std::to_string(c + 1) + ": " : std::string();
    if (counts.empty()) return error{"active", which + "no counts"};
    std::optional<double> previous;
    for (const double count : counts) {
      auto checked = models::check_next_active_count(count, previous);
      if (!checked) return error{"active", which + checked.error().message};
      previous = *checked;
    }
    if (!(counts.front() > 0))
      return error{"active", which + "the first count (period 0) must be above 0, got " +
                                 format_shortest(counts.front())};
    longest = std::max(longest, counts.size() - 1);
  }
  return longest;
}

// The pooled retention of period t ≥ 1 over the cohorts observed at t.
std::optional<double> pooled_retention(std::span<const std::vector<double>> observed,
                                       std::size_t t) {
  double now = 0, before = 0;
  for (const std::vector<double>& counts : observed) {
    if (counts.size() <= t) continue;
    now += counts[t];
    before += counts[t - 1];
  }
  if (!(before > 0)) return std::nullopt;
  return now / before;
}

}  // namespace

result<survival_curve> make_survival_curve(const scenario_input& input,
                                           std::span<const std::vector<double>> observed,
                                           std::optional<int> periods) {
  if (periods && (*periods < 1 || *periods > max_horizon))
    return error{"periods", "periods must be a whole number from 1 to " +
                                std::to_string(max_horizon) + ", got " + std::to_string(*periods)};
  if (!input.has_lifetime_source())
    return error{"churn",
                 "a survival curve needs churn (or customers_start with customers_lost) or an sBG "
                 "curve (sbg_alpha with sbg_beta, or --sbg-model)"};
  // resolve() checks the lifetime's inputs as every command reads them, but
  // also asks for what a survival curve does not need: a value per period,
  // and a bounded sum of payments (a horizon or a discount rate when the
  // expected lifetime is unbounded). Placeholders stand in for those, never
  // shown: the curve is drawn over the user's own horizon, if any.
  scenario_input lifetime_only = input;
  if (!lifetime_only.has_value_source()) lifetime_only.arpu = 1;
  if (!lifetime_only.horizon && !lifetime_only.discount_rate) lifetime_only.horizon = max_horizon;
  auto s = resolve(lifetime_only);
  if (!s) return std::move(s).error();
  if (s->lifetime_from == lifetime_basis::fixed)
    return error{input.lifetime ? "lifetime" : "contract_length",
                 "a fixed lifetime has no retention curve: give churn or an sBG curve "
                 "(sbg_alpha, sbg_beta) for the survival chart"};
  auto longest = check_observed(observed);
  if (!longest) return std::move(longest).error();

  survival_curve curve;
  curve.period = s->period;
  curve.basis = s->lifetime_from;
  curve.churn = s->churn;
  curve.sbg_alpha = s->sbg_alpha;
  curve.sbg_beta = s->sbg_beta;
  if (s->lifetime_from == lifetime_basis::sbg)
    curve.expected_lifetime = sbg_expected_lifetime({s->sbg_alpha, s->sbg_beta});
  else if (s->churn > 0)
    curve.expected_lifetime = 1 / s->churn;
  curve.cohorts = observed.size();
  const bool sbg = s->lifetime_from == lifetime_basis::sbg;
  const sbg_params params{s->sbg_alpha, s->sbg_beta};
  const auto survival = [&](int t) {
    return sbg ? models::sbg_survival(params, t) : std::exp(t * std::log1p(-s->churn));
  };

  const bool monthly = s->period == period::month;
  int last = 0;
  if (periods) {
    last = *periods;
  } else if (input.horizon) {
    last = *s->horizon;
  } else {
    const int floor = monthly ? 12 : 3;
    const int ceiling = monthly ? 120 : 30;
    if (*longest > 0) {
      last = std::max(floor, static_cast<int>(std::min<std::size_t>(
                                 2 * *longest, static_cast<std::size_t>(ceiling))));
    } else {
      last = floor;
      while (last < ceiling && survival(last) > 0.1) ++last;
    }
  }
  std::optional<double> observed_survival = observed.empty() ? std::nullopt : std::optional(1.0);
  for (int t = 0; t <= last; ++t) {
    survival_point point{t, survival(t), std::nullopt, std::nullopt, std::nullopt};
    if (t > 0) point.retention = sbg ? models::sbg_retention_rate(params, t) : 1 - s->churn;
    const auto ut = static_cast<std::size_t>(t);
    if (observed_survival && ut <= *longest) {
      if (t > 0) {
        point.observed_retention = pooled_retention(observed, ut);
        observed_survival =
            point.observed_retention ? *observed_survival * *point.observed_retention : 0.0;
      }
      point.observed_survival = observed_survival;
    }
    curve.points.push_back(point);
  }
  return curve;
}

}  // namespace cltv
