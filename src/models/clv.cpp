#include "cltv/models/clv.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <variant>

#include "cltv/number.hpp"

namespace cltv::models {

result<clv_options> check_clv_options(const clv_options& o) {
  if (o.months < 1 || o.months > 1200)
    return error{"horizon", "horizon must be a whole number of months from 1 to 1200, got " +
                                std::to_string(o.months)};
  if (!(std::isfinite(o.discount_rate) && o.discount_rate >= 0))
    return error{"discount_rate", "discount_rate must be a rate >= 0 per month, got " +
                                      format_shortest(o.discount_rate)};
  if (!(std::isfinite(o.gross_margin) && o.gross_margin > 0 && o.gross_margin <= 1))
    return error{"gross_margin",
                 "gross_margin must be in (0, 1], got " + format_shortest(o.gross_margin)};
  if (!(std::isfinite(o.periods_per_month) && o.periods_per_month > 0))
    return error{"periods_per_month", "a month must be a positive number of time units, got " +
                                          format_shortest(o.periods_per_month)};
  return o;
}

result<int> clv_horizon_months(double months) {
  if (!(months >= 1 && months <= 1200 && months == std::floor(months)))
    return error{"horizon", "horizon must be a whole number of months from 1 to 1200, got " +
                                format_shortest(months)};
  return static_cast<int>(months);
}

result<double> periods_per_month(double month_days, double unit_days) {
  if (!(month_days > 0))
    return error{"days_per_month",
                 "days_per_month must be positive, got " + format_shortest(month_days)};
  return month_days / unit_days;
}

namespace {

// The value of a customer's expected purchases, month by month: the stream
// of purchases if alive times P(alive).
result<customer_clv> value_stream(std::span<const double> purchases_if_alive, double alive,
                                  double expected_spend, const clv_options& options,
                                  std::span<monthly_cash_flow> cash_flows) {
  customer_clv out;
  out.probability_alive = alive;
  out.expected_spend = expected_spend;
  const double per_purchase = expected_spend * options.gross_margin;
  const double log_discount = std::log1p(options.discount_rate);
  for (std::size_t i = 0; i < purchases_if_alive.size(); ++i) {
    const double n = alive * purchases_if_alive[i];
    const double margin = n * per_purchase;
    const double value = margin * std::exp(-static_cast<double>(i + 1) * log_discount);
    out.expected_purchases += n;
    out.clv += value;
    if (!cash_flows.empty()) cash_flows[i] = {n, margin, value};
  }
  if (!std::isfinite(out.clv))
    return error{"expected_spend", "the customer's value is too large to represent (spend " +
                                       format_shortest(expected_spend) + " per purchase)"};
  return out;
}

// What every valuation checks before it computes.
std::optional<error> bad_valuation(double expected_spend, const clv_options& options,
                                   std::span<monthly_cash_flow> cash_flows) {
  if (!(std::isfinite(expected_spend) && expected_spend >= 0))
    return error{"expected_spend", "expected spend per purchase must be a number >= 0, got " +
                                       format_shortest(expected_spend)};
  if (!cash_flows.empty() && cash_flows.size() != static_cast<std::size_t>(options.months))
    return error{"cash_flows", "cash_flows must hold one element per month"};
  return std::nullopt;
}

template <class Model>
result<customer_clv> value_of(const Model& model, const rfm_tuple& customer, double expected_spend,
                              const clv_options& options, std::span<monthly_cash_flow> cash_flows) {
  auto o = check_clv_options(options);
  if (!o) return std::move(o).error();
  if (auto e = bad_valuation(expected_spend, options, cash_flows)) return std::move(*e);
  auto alive = probability_alive(model, customer);
  if (!alive) return std::move(alive).error();
  auto purchases = expected_purchases_by_period_if_alive(model, customer.x, customer.T,
                                                         options.months, options.periods_per_month);
  if (!purchases) return std::move(purchases).error();
  return value_stream(*purchases, *alive, expected_spend, options, cash_flows);
}

template <class Model>
result<customer_clv> value_with_spend_model(const Model& model, const gamma_gamma_params& gg,
                                            const rfm_tuple& customer, double monetary_value,
                                            const clv_options& options,
                                            std::span<monthly_cash_flow> cash_flows) {
  auto spend = gamma_gamma_conditional_expected_spend(gg, customer.x, monetary_value);
  if (!spend) return std::move(spend).error();
  return value_of(model, customer, *spend, options, cash_flows);
}

}  // namespace

result<customer_clv> customer_lifetime_value(const bgnbd_params& bg, const rfm_tuple& customer,
                                             double expected_spend, const clv_options& options,
                                             std::span<monthly_cash_flow> cash_flows) {
  return value_of(bg, customer, expected_spend, options, cash_flows);
}

result<customer_clv> customer_lifetime_value(const bgnbd_params& bg, const gamma_gamma_params& gg,
                                             const rfm_tuple& customer, double monetary_value,
                                             const clv_options& options,
                                             std::span<monthly_cash_flow> cash_flows) {
  return value_with_spend_model(bg, gg, customer, monetary_value, options, cash_flows);
}

result<customer_clv> customer_lifetime_value(const pareto_nbd_params& pnbd,
                                             const rfm_tuple& customer, double expected_spend,
                                             const clv_options& options,
                                             std::span<monthly_cash_flow> cash_flows) {
  return value_of(pnbd, customer, expected_spend, options, cash_flows);
}

result<customer_clv> customer_lifetime_value(const pareto_nbd_params& pnbd,
                                             const gamma_gamma_params& gg,
                                             const rfm_tuple& customer, double monetary_value,
                                             const clv_options& options,
                                             std::span<monthly_cash_flow> cash_flows) {
  return value_with_spend_model(pnbd, gg, customer, monetary_value, options, cash_flows);
}

result<customer_clv> customer_lifetime_value(const purchase_model& model, const rfm_tuple& customer,
                                             double expected_spend, const clv_options& options,
                                             std::span<monthly_cash_flow> cash_flows) {
  return std::visit(
      [&](const auto& p) { return value_of(p, customer, expected_spend, options, cash_flows); },
      model.params());
}

result<clv_valuer> clv_valuer::make(const purchase_model& model, const clv_options& options) {
  auto o = check_clv_options(options);
  if (!o) return std::move(o).error();
  return clv_valuer(model, options);
}

result<customer_clv> clv_valuer::value(const rfm_tuple& customer, double expected_spend,
                                       std::span<monthly_cash_flow> cash_flows) {
  if (auto e = bad_valuation(expected_spend, options_, cash_flows)) return std::move(*e);
  auto alive = probability_alive(model_, customer);
  if (!alive) return std::move(alive).error();
  const std::pair<double, double> key{customer.x, customer.T};
  if (auto kept = streams_.find(key); kept != streams_.end())
    return value_stream(kept->second, *alive, expected_spend, options_, cash_flows);
  auto purchases = expected_purchases_by_period_if_alive(
      model_, customer.x, customer.T, options_.months, options_.periods_per_month);
  if (!purchases) return std::move(purchases).error();
  auto out = value_stream(*purchases, *alive, expected_spend, options_, cash_flows);
  constexpr std::size_t budget = std::size_t{1} << 24;
  if (kept_ + purchases->size() <= budget) {
    kept_ += purchases->size();
    streams_.emplace(key, std::move(*purchases));
  }
  return out;
}

result<double> clv_expected_spend(const gamma_gamma_params& gg, double frequency,
                                  double monetary_value, double mean_spend) {
  if (frequency > 0 && monetary_value > 0)
    return gamma_gamma_conditional_expected_spend(gg, frequency, monetary_value);
  return mean_spend;
}

result<double> check_spend_per_purchase(double amount) {
  if (!(std::isfinite(amount) && amount > 0))
    return error{"spend_per_purchase",
                 "spend_per_purchase must be a positive amount, got " + format_shortest(amount)};
  if (auto e = beyond_max_amount("spend_per_purchase", amount)) return *std::move(e);
  return amount;
}

result<double> summary_mean_spend(std::span<const double> frequency,
                                  std::span<const double> monetary_value) {
  if (frequency.size() != monetary_value.size())
    return error{"monetary_value", "monetary_value has " + std::to_string(monetary_value.size()) +
                                       " rows but frequency has " +
                                       std::to_string(frequency.size())};
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    const double m = monetary_value[i];
    if (frequency[i] > 0 && m > 0 && std::isfinite(m)) {
      sum += m;
      ++n;
    }
  }
  if (n == 0)
    return error{"monetary_value",
                 "no customer has repeat purchases with a positive monetary_value, so the "
                 "summary gives no spend per purchase"};
  return sum / static_cast<double>(n);
}

double summary_expected_spend(double frequency, double monetary_value, double mean_spend) noexcept {
  return frequency > 0 && monetary_value > 0 && std::isfinite(monetary_value) ? monetary_value
                                                                              : mean_spend;
}

result<purchase_spend> purchase_spend::from_gamma_gamma(const gamma_gamma_params& gg) {
  auto population_mean = predictable_mean_spend(gg);
  if (!population_mean) return std::move(population_mean).error();
  return purchase_spend(source::gamma_gamma, *population_mean, gg);
}

result<purchase_spend> purchase_spend::fixed(double amount) {
  auto checked = check_spend_per_purchase(amount);
  if (!checked) return std::move(checked).error();
  return purchase_spend(source::fixed, *checked);
}

result<purchase_spend> purchase_spend::from_summary(std::span<const rfm_tuple> rows,
                                                    std::span<const double> monetary_value) {
  std::vector<double> frequency(rows.size());
  std::transform(rows.begin(), rows.end(), frequency.begin(),
                 [](const rfm_tuple& c) { return c.x; });
  auto summary_mean = summary_mean_spend(frequency, monetary_value);
  if (!summary_mean) return std::move(summary_mean).error();
  return purchase_spend(source::summary, *summary_mean);
}

result<double> purchase_spend::of_customer(double frequency, double monetary_value) const {
  switch (kind_) {
    case source::gamma_gamma:
      return clv_expected_spend(gg_, frequency, monetary_value, mean_);
    case source::summary:
      return summary_expected_spend(frequency, monetary_value, mean_);
    case source::fixed:
      break;
  }
  return mean_;
}

}  // namespace cltv::models
