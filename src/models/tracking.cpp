#include "cltv/models/tracking.hpp"

#include <cmath>
#include <string>

#include "cltv/number.hpp"

namespace cltv::models {

result<std::vector<tracking_period>> track_repeat_purchases(
    const purchase_model& model, std::span<const period_purchases> periods, double period_length) {
  if (!(period_length > 0 && std::isfinite(period_length)))
    return error{"period_length", "a period must be a positive number of time units, got " +
                                      format_shortest(period_length)};
  // E[X(age · L)] for every age a period can reach, computed once.
  std::vector<double> by_age(periods.size() + 1, 0.0);
  for (std::size_t age = 1; age < by_age.size(); ++age) {
    auto e = expected_purchases(model, static_cast<double>(age) * period_length);
    if (!e) return std::move(e).error();
    by_age[age] = *e;
  }
  // A discrete-time model's customer has had no opportunity yet by the end of
  // the period she entered in: her age is k − j there, not k − j + 1.
  const std::size_t entry_age = is_discrete_time(model.kind()) ? 0 : 1;
  std::vector<tracking_period> out(periods.size());
  double actual_total = 0;
  double previous_expected = 0;
  for (std::size_t k = 0; k < periods.size(); ++k) {
    double expected_total = 0;
    for (std::size_t j = 0; j <= k; ++j)
      expected_total += static_cast<double>(periods[j].first_purchases) * by_age[k - j + entry_age];
    actual_total += static_cast<double>(periods[k].repeat_purchases);
    tracking_period& row = out[k];
    row.actual = static_cast<double>(periods[k].repeat_purchases);
    row.actual_cumulative = actual_total;
    row.expected_cumulative = expected_total;
    row.expected = expected_total - previous_expected;
    previous_expected = expected_total;
  }
  return out;
}

}  // namespace cltv::models
