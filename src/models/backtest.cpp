#include "cltv/models/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <variant>

#include "cltv/date.hpp"
#include "cltv/number.hpp"

namespace cltv::models {

namespace {

template <class Model>
result<backtest_report> predict_holdout(const Model& params,
                                        std::span<const holdout_customer> customers,
                                        int max_frequency, std::span<double> predicted) {
  if (max_frequency < 1)
    return error{"max_frequency",
                 "max_frequency must be at least 1, got " + std::to_string(max_frequency)};
  if (customers.empty()) return error{"input", "no customers to backtest"};
  if (!predicted.empty() && predicted.size() != customers.size())
    return error{"predicted", "predicted must hold one element per customer"};

  backtest_report report;
  report.by_frequency.resize(static_cast<std::size_t>(max_frequency) + 1);
  for (int x = 0; x <= max_frequency; ++x) {
    report.by_frequency[static_cast<std::size_t>(x)].frequency = x;
  }
  report.by_frequency.back().or_more = true;

  double absolute = 0;
  double squared = 0;
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const holdout_customer& c = customers[i];
    const auto which = [i] { return "customer " + std::to_string(i + 1); };
    if (!(std::isfinite(c.actual) && c.actual >= 0))
      return error{
          "frequency_holdout",
          which() + ": holdout purchases must be a number >= 0, got " + format_shortest(c.actual)};
    if (!(std::isfinite(c.duration) && c.duration >= 0))
      return error{"duration_holdout", which() + ": holdout duration must be a number >= 0, got " +
                                           format_shortest(c.duration)};
    auto p = conditional_expected_purchases(params, c.calibration, c.duration);
    if (!p) return error{p.error().field, which() + ": " + p.error().message};
    if (!predicted.empty()) predicted[i] = *p;
    const double e = *p - c.actual;
    absolute += std::fabs(e);
    squared += e * e;
    report.actual_total += c.actual;
    report.predicted_total += *p;
    const auto group =
        static_cast<std::size_t>(std::min(c.calibration.x, static_cast<double>(max_frequency)));
    frequency_group& g = report.by_frequency[group];
    ++g.customers;
    g.actual_mean += c.actual;  // sums until the division below
    g.predicted_mean += *p;
  }
  for (frequency_group& g : report.by_frequency) {
    if (g.customers == 0) continue;
    g.actual_mean /= static_cast<double>(g.customers);
    g.predicted_mean /= static_cast<double>(g.customers);
  }
  const auto n = static_cast<double>(customers.size());
  report.customers = customers.size();
  report.mean_absolute_error = absolute / n;
  report.root_mean_squared_error = std::sqrt(squared / n);
  return report;
}

}  // namespace

result<backtest_report> backtest_bgnbd(const bgnbd_params& params,
                                       std::span<const holdout_customer> customers,
                                       int max_frequency, std::span<double> predicted) {
  return predict_holdout(params, customers, max_frequency, predicted);
}

result<backtest_report> backtest_pareto_nbd(const pareto_nbd_params& params,
                                            std::span<const holdout_customer> customers,
                                            int max_frequency, std::span<double> predicted) {
  return predict_holdout(params, customers, max_frequency, predicted);
}

result<backtest_report> backtest(const purchase_model& model,
                                 std::span<const holdout_customer> customers, int max_frequency,
                                 std::span<double> predicted) {
  return std::visit(
      [&](const auto& p) { return predict_holdout(p, customers, max_frequency, predicted); },
      model.params());
}

result<holdout_data> holdout_customers(const rfm_summary& summary) {
  if (!summary.calibration_end)
    return error{"holdout", "the summary has no calibration end, so no holdout"};
  holdout_data out;
  out.customers.reserve(summary.customers_included);
  out.index.reserve(summary.customers_included);
  for (std::size_t i = 0; i < summary.size(); ++i) {
    const std::optional<rfm_row> row = summary.row(i);
    if (!row) continue;
    out.customers.push_back(
        {{row->frequency, row->recency, row->T, 1}, row->frequency_holdout, row->duration_holdout});
    out.index.push_back(i);
  }
  if (out.customers.empty() || !(out.customers.front().duration > 0))
    return error{"holdout", "the holdout is empty: the observation end " +
                                format_date(summary.observation_end) +
                                " is not after the calibration end " +
                                format_date(*summary.calibration_end)};
  return out;
}

result<double> check_max_error(double max_error) {
  if (!(max_error >= 0))
    return error{"max_error", "max_error must be >= 0, got " + format_shortest(max_error)};
  return max_error;
}

bool exceeds_max_error(const backtest_report& report, double max_error) noexcept {
  return report.mean_absolute_error > max_error;
}

}  // namespace cltv::models
