#pragma once
// Historical inputs of the LTV formulas from a transaction log, per month or
// year: customers, ARPU, order value, purchase frequency, churn, lifespan, and
// the cohort retention table. One pass; memory proportional to the distinct
// (customer, period) pairs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/error.hpp"
#include "cltv/money.hpp"
#include "cltv/period.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

struct metrics_options {
  period unit = period::month;
  /// Transactions after this date are ignored; default: the last date seen.
  std::optional<day_number> observation_end;
  /// A customer churns at the end of their last purchase period when this many
  /// periods without a purchase follow it inside the observation window.
  int inactive_after = 3;
  std::optional<double> cac;  // for the historical net value and LTV:CAC
  double target = 3;
  /// Also sum revenue by cohort and period since acquisition
  /// (cohort_row::revenue): a sum per (customer, period) with a purchase.
  bool cohort_revenue = false;
};

/// One period's figures. A customer is "at risk" (still a customer) in every
/// period from their first purchase's period to their last's.
struct period_metrics {
  std::int32_t index = 0;              // months since 0000-01, or years since year 0
  day_number start = 0;                // first day of the period
  std::uint64_t customers = 0;         // at risk
  std::uint64_t new_customers = 0;     // first purchase in this period
  std::uint64_t active_customers = 0;  // purchased in this period
  std::uint64_t orders = 0;            // transactions (rows)
  money_sum revenue;                   // exact at the amounts' scale
  double arpu = 0;                     // revenue / customers
  double average_order_value = 0;      // revenue / orders (0 without orders)
  double purchase_frequency = 0;       // orders / customers
  /// Share of active customers who had bought in an earlier period.
  double repeat_purchase_rate = 0;
  std::uint64_t churned = 0;  // churn events at the end of this period
  /// churned / customers; nullopt when censored: fewer than inactive_after
  /// periods follow it in the window, so a churn could not be seen yet.
  std::optional<double> churn;
  bool censored = false;
};

/// The whole window: rates per customer-period at risk.
struct overall_metrics {
  std::uint64_t customers = 0;
  std::uint64_t customer_periods = 0;  // periods at risk, summed over customers
  std::uint64_t orders = 0;
  money_sum revenue;
  double arpu = 0;                 // revenue / customer_periods
  double average_order_value = 0;  // revenue / orders
  double purchase_frequency = 0;   // orders / customer_periods
  /// Share of customers with orders in two or more periods.
  double repeat_purchase_rate = 0;
  std::uint64_t churned = 0;
  std::uint64_t censored_customers = 0;  // last purchase too recent to tell
  double churn = 0;                      // churned / customer_periods
  /// 1 / churn, in periods; nullopt when no churn was observed (unbounded).
  std::optional<double> lifespan;
  /// ARPU × lifespan = revenue / churned (computed so, one rounding);
  /// nullopt without lifespan.
  std::optional<double> ltv;
  std::optional<double> net_value;      // ltv − cac
  std::optional<double> ltv_cac_ratio;  // ltv / cac
  std::optional<bool> meets_target;
};

/// Acquisition cohort × periods since acquisition: customers purchasing.
struct cohort_row {
  std::int32_t index = 0;
  day_number start = 0;
  std::uint64_t customers = 0;        // acquired in this period
  std::vector<std::uint64_t> active;  // active[k]: purchasing k periods later (k = 0: all)
  /// retained[k]: customers still customers k periods after acquisition —
  /// their last purchase is k or more periods after their first — for k = 0
  /// … K, the last k at which a churn can be seen (K = periods after the
  /// cohort to the observation end − inactive_after + 1, at least 0). Never
  /// increasing; retained[K] are right-censored survivors. A survival curve
  /// for the sBG model (`cltv fit sbg --from-metrics`).
  std::vector<std::uint64_t> retained;
  /// revenue[k]: what the cohort's customers spent k periods after
  /// acquisition (as long as active). Only with metrics_options::cohort_revenue;
  /// else empty.
  std::vector<double> revenue;

  /// active[k] / customers: the share of the cohort purchasing k periods later.
  [[nodiscard]] double share(std::size_t k) const noexcept {
    return static_cast<double>(active[k]) / static_cast<double>(customers);
  }
};

struct metrics_report {
  metrics_options options;
  day_number first_day = 0;
  day_number observation_end = 0;
  std::uint64_t transactions_after_end = 0;
  /// Customers whose every purchase is after the observation end (left out).
  std::uint64_t customers_after_end = 0;
  std::vector<period_metrics> periods;  // every period of the window, in order
  overall_metrics overall;
  std::vector<cohort_row> cohorts;
};

/// The scenario the log measures, for `cltv calc` and `cltv check`: the
/// period, ARPU and churn of the whole window, the options' CAC when given,
/// and `target` when given. Fails when no churn was seen in the window: the
/// lifetime would be unbounded.
[[nodiscard]] result<scenario_input> measured_scenario(const metrics_report& report,
                                                       std::optional<double> target);

class metrics_builder {
 public:
  /// Checks the options (inactive_after >= 1, cac > 0, target > 0).
  [[nodiscard]] static result<metrics_builder> create(const metrics_options& options);

  /// One transaction of the customer with dense index `customer` (0, 1, …),
  /// in any order.
  void add(std::uint32_t customer, day_number day, const decimal_amount& amount);

  /// Starts loading what add(customer, day, …) will touch (a hint; no effect
  /// on the result), so that callers can overlap the cache misses of a batch.
  void prefetch(std::uint32_t customer, day_number day) const noexcept;

  /// Fails when no transaction falls on or before the observation end.
  [[nodiscard]] result<metrics_report> finish() &&;

  metrics_builder(metrics_builder&&) noexcept;
  metrics_builder& operator=(metrics_builder&&) noexcept;
  ~metrics_builder();

 private:
  struct state;
  explicit metrics_builder(std::unique_ptr<state> s);
  std::unique_ptr<state> s_;
};

/// The index of the period holding `days` (months or years).
[[nodiscard]] std::int32_t calendar_period_index(day_number days, period unit) noexcept;
/// The first day of the period with that index.
[[nodiscard]] day_number calendar_period_start(std::int32_t index, period unit) noexcept;

/// The name of the period starting on `start`: "2024-03" (month) or "2024" (year).
[[nodiscard]] std::string period_label(day_number start, period unit);

/// The censored periods of `report` (too close to the observation end for a
/// churn to be seen) as "2024-04..2024-06", or one label when one period;
/// empty when none is censored.
[[nodiscard]] std::string censored_range(const metrics_report& report);

}  // namespace cltv
