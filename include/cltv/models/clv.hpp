#pragma once
// Per-customer lifetime value from a purchase-count model (BG/NBD, MBG/NBD or
// Pareto/NBD) and a
// spend model (Gamma-Gamma): the expected purchases of each coming month,
// times the customer's expected spend per purchase and the gross margin,
// discounted month by month.
//
// Convention (that of the published tools, e.g. lifetimes'
// customer_lifetime_value): purchases happen during a month, so month i's
// value is discounted by (1 + d)^i, i = 1 … H — unlike the subscription
// formulas of cltv/formulas.hpp, where a customer pays at the start of each
// period and the first payment is not discounted.

#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"
#include "cltv/time_unit.hpp"

namespace cltv::models {

/// The default length of a month, in days (cltv/time_unit.hpp).
using cltv::days_per_month;

struct clv_options {
  int months = 12;                            ///< horizon, 1 … 1200
  double discount_rate = 0;                   ///< per month, ≥ 0
  double gross_margin = 1;                    ///< share of spend kept, (0, 1]
  double periods_per_month = days_per_month;  ///< summary time units in one month (> 0)
};

/// Checks the options, naming the offending one ("horizon", "discount_rate",
/// "gross_margin", "periods_per_month").
[[nodiscard]] result<clv_options> check_clv_options(const clv_options& options);

/// The horizon as clv_options holds it: a whole number of months from 1 to
/// 1200; fails on any other number ("horizon must be a whole number of months
/// from 1 to 1200, got 1.5").
[[nodiscard]] result<int> clv_horizon_months(double months);

/// clv_options::periods_per_month for a month of `month_days` days and a
/// summary unit of `unit_days` days: month_days / unit_days. Fails unless
/// month_days > 0 (field "days_per_month").
///
/// Example: periods_per_month(30.4375, 7) = 4.348 weeks a month.
[[nodiscard]] result<double> periods_per_month(double month_days, double unit_days);

/// One month of a customer's expected value.
struct monthly_cash_flow {
  double expected_purchases = 0;  ///< E[Y(i·L)] − E[Y((i−1)·L)]
  double expected_margin = 0;     ///< purchases × expected spend × gross margin
  double discounted_value = 0;    ///< expected_margin / (1 + d)^i
};

struct customer_clv {
  double expected_purchases = 0;  ///< over the horizon: E[Y(H·L) | x, t_x, T]
  double probability_alive = 0;   ///< P(alive | x, t_x, T), today
  double expected_spend = 0;      ///< E[M | x, m̄] per purchase
  double clv = 0;                 ///< Σ discounted_value over the months
};

/// The CLV of one customer with RFM history `customer` (times in the unit of
/// the fit) and mean repeat spend `monetary_value` (not read when x = 0).
/// When `cash_flows` is not empty it must hold options.months elements; it
/// receives the monthly stream. Fails on invalid params, rows or options, and
/// when a spend prediction is undefined (Gamma-Gamma q ≤ 1).
///
/// Example (CDNOW, weeks): 12 months, 1 %/month, 4.348 weeks a month:
///   auto v = customer_lifetime_value(bg, gg, {2, 30.43, 38.86}, 22.35, options);
[[nodiscard]] result<customer_clv> customer_lifetime_value(
    const bgnbd_params& bg, const gamma_gamma_params& gg, const rfm_tuple& customer,
    double monetary_value, const clv_options& options,
    std::span<monthly_cash_flow> cash_flows = {});

/// As above with the expected spend per purchase given (e.g. the population
/// mean for a customer whose own spend is not usable); it is copied to
/// customer_clv::expected_spend. Fails on a negative or non-finite spend.
[[nodiscard]] result<customer_clv> customer_lifetime_value(
    const bgnbd_params& bg, const rfm_tuple& customer, double expected_spend,
    const clv_options& options, std::span<monthly_cash_flow> cash_flows = {});

/// The same with a Pareto/NBD purchase model.
[[nodiscard]] result<customer_clv> customer_lifetime_value(
    const pareto_nbd_params& pnbd, const gamma_gamma_params& gg, const rfm_tuple& customer,
    double monetary_value, const clv_options& options,
    std::span<monthly_cash_flow> cash_flows = {});
[[nodiscard]] result<customer_clv> customer_lifetime_value(
    const pareto_nbd_params& pnbd, const rfm_tuple& customer, double expected_spend,
    const clv_options& options, std::span<monthly_cash_flow> cash_flows = {});

/// The same with any purchase model (BG/NBD, MBG/NBD or Pareto/NBD).
[[nodiscard]] result<customer_clv> customer_lifetime_value(
    const purchase_model& model, const rfm_tuple& customer, double expected_spend,
    const clv_options& options, std::span<monthly_cash_flow> cash_flows = {});

/// Values many customers with one purchase model and one set of options, as
/// customer_lifetime_value does, but computes each distinct (frequency, T)
/// pair's stream of purchases if alive once (it does not depend on t_x) and
/// scales it by each customer's P(alive): 300 k daily customers share ~33 k
/// pairs. Streams are kept up to 2^24 numbers (128 MB); beyond, they are
/// computed afresh.
class clv_valuer {
 public:
  /// Fails on invalid options (check_clv_options).
  [[nodiscard]] static result<clv_valuer> make(const purchase_model& model,
                                               const clv_options& options);

  /// customer_lifetime_value(model, customer, expected_spend, options, cash_flows).
  [[nodiscard]] result<customer_clv> value(const rfm_tuple& customer, double expected_spend,
                                           std::span<monthly_cash_flow> cash_flows = {});

 private:
  clv_valuer(const purchase_model& model, const clv_options& options)
      : model_(model), options_(options) {}
  purchase_model model_;
  clv_options options_;
  std::map<std::pair<double, double>, std::vector<double>> streams_;  // (x, T) → purchases if alive
  std::size_t kept_ = 0;                                              // numbers in streams_
};

/// The expected spend per purchase a customer is valued at: E[M | x, m̄] for a
/// customer with repeat purchases and m̄ > 0, else `mean_spend` (the
/// population mean: a customer without repeat purchases carries no spend of
/// their own, and one whose m̄ ≤ 0 was left out of the spend fit). Fails as
/// gamma_gamma_conditional_expected_spend does.
[[nodiscard]] result<double> clv_expected_spend(const gamma_gamma_params& gg, double frequency,
                                                double monetary_value, double mean_spend);

/// Spend per purchase without a spend model, for data Gamma-Gamma cannot fit
/// (fit_gamma_gamma fails with field "spend") or when no spend model is
/// wanted: either one fixed amount for every purchase, or each customer's own
/// mean spend read from the summary.

/// A fixed spend per purchase: a positive finite amount; fails otherwise
/// (field "spend_per_purchase").
[[nodiscard]] result<double> check_spend_per_purchase(double amount);

/// The mean spend per purchase of the customers who have one of their own
/// (frequency > 0 and monetary value > 0), each counted once: Σ m̄ / n over
/// them, the summary's counterpart of Gamma-Gamma's population mean. Rows
/// with x = 0, m̄ ≤ 0 or a value that is not finite are left out. Fails when
/// no customer has a spend of their own (field "monetary_value") or the spans
/// differ in length.
///
/// Example: frequency {2, 1, 0}, monetary_value {30, 10, 0} → (30 + 10) / 2 = 20.
[[nodiscard]] result<double> summary_mean_spend(std::span<const double> frequency,
                                                std::span<const double> monetary_value);

/// The spend per purchase a customer is valued at from the summary alone:
/// their own mean m̄ when x > 0 and m̄ > 0, else `mean_spend` (summary_mean_spend:
/// a customer without repeat purchases has no spend of their own). No
/// shrinkage towards the mean, unlike Gamma-Gamma's E[M | x, m̄].
///
/// Example: summary_expected_spend(2, 30, 20) = 30; summary_expected_spend(0, 0, 20) = 20.
[[nodiscard]] double summary_expected_spend(double frequency, double monetary_value,
                                            double mean_spend) noexcept;

/// What `clv` values a customer's purchases at: Gamma-Gamma's E[M | x, m̄]
/// (clv_expected_spend), one fixed amount (check_spend_per_purchase), or each
/// customer's own mean spend from the summary (summary_expected_spend).
class purchase_spend {
 public:
  enum class source { gamma_gamma, fixed, summary };

  /// Gamma-Gamma's; fails when its population mean is infinite (q ≤ 1).
  [[nodiscard]] static result<purchase_spend> from_gamma_gamma(const gamma_gamma_params& gg);
  /// `amount` for every purchase; fails unless it is positive and finite.
  [[nodiscard]] static result<purchase_spend> fixed(double amount);
  /// The summary's own mean spends (summary_mean_spend for customers without
  /// one); fails when no customer has one.
  [[nodiscard]] static result<purchase_spend> from_summary(std::span<const rfm_tuple> rows,
                                                           std::span<const double> monetary_value);

  [[nodiscard]] source kind() const noexcept { return kind_; }
  /// The population's mean spend per purchase (the fixed amount when fixed).
  [[nodiscard]] double mean() const noexcept { return mean_; }
  /// The spend per purchase of a customer with frequency x and mean repeat
  /// spend m̄ (not read when fixed).
  [[nodiscard]] result<double> of_customer(double frequency, double monetary_value) const;

 private:
  purchase_spend(source kind, double mean, const gamma_gamma_params& gg = {})
      : kind_(kind), mean_(mean), gg_(gg) {}
  source kind_;
  double mean_;
  gamma_gamma_params gg_;
};

}  // namespace cltv::models
