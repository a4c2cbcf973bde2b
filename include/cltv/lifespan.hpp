#pragma once
// Customer lifespan from customer records: the average (total years active /
// number of customers) with its distribution (quartiles, range), because a
// mean alone misleads when a few long-lived customers pull it up.

#include <cstdint>
#include <optional>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/error.hpp"

namespace cltv {

/// Days in a mean Gregorian year: lifespans in days become years as
/// days / 365.2425 (a 2020-01-01 → 2021-01-01 record, 366 days, is 1.0021 years).
inline constexpr double days_per_year = 365.2425;

/// `days` in years: days / 365.2425.
[[nodiscard]] constexpr double years_from_days(std::int64_t days) noexcept {
  return static_cast<double>(days) / days_per_year;
}

/// The lifespan distribution of a set of customers, in years.
///
/// Quantiles are type 7 of Hyndman & Fan (the default of R's quantile() and of
/// NumPy's percentile()): with the n lifespans sorted as x[0] ≤ … ≤ x[n−1], the
/// p-quantile is x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) where h = (n − 1)p, a
/// linear interpolation between order statistics. q0 is the minimum, q1 the
/// 0.25-quantile, median the 0.5-quantile, q3 the 0.75-quantile, max the maximum.
struct lifespan_stats {
  std::uint64_t customers = 0;
  /// Customers still active (open records): their lifespans are censored, the
  /// time so far, so the mean understates their eventual lifespan.
  std::uint64_t active = 0;
  double total_years = 0;  ///< sum of the lifespans: customer-years
  double mean_years = 0;   ///< total_years / customers
  double min_years = 0;
  double q1_years = 0;
  double median_years = 0;
  double q3_years = 0;
  double max_years = 0;
};

/// The statistics of the lifespans `years` (one per customer, any order; taken
/// by value and sorted in place), `active` of which are still open.
///
/// Fails when `years` is empty (the average of no customers is undefined), when
/// a lifespan is negative or not finite (naming its 1-based position), or when
/// `active` exceeds the number of customers.
///
/// Example:
///   auto s = cltv::lifespan_statistics({1, 2, 3, 6});
///   // s->mean_years == 3, s->median_years == 2.5, s->q1_years == 1.75, s->q3_years == 3.75
[[nodiscard]] result<lifespan_stats> lifespan_statistics(std::vector<double> years,
                                                         std::uint64_t active = 0);

/// The days one customer record spans: end − start for a closed record, or
/// as_of − start for an open one (no end: still active as of `as_of`).
///
/// Fails, naming both dates, when the end is before the start, the start is
/// after `as_of`, or the end is after `as_of` (the record is then not closed as
/// of that date). A record that starts and ends on one day spans 0 days.
///
/// Example:
///   auto days = cltv::record_days(cltv::days_from_civil(2020, 1, 1), std::nullopt,
///                                 cltv::days_from_civil(2021, 1, 1));  // 366
[[nodiscard]] result<std::int32_t> record_days(day_number start, std::optional<day_number> end,
                                               day_number as_of);

}  // namespace cltv
