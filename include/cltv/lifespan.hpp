#pragma once
// Customer lifespan from customer records: the average (total years active /
// number of customers) with its distribution (quartiles, range), because a
// mean alone misleads when a few long-lived customers pull it up.

#include <cstdint>
#include <limits>
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

/// The statistics of dated customer records and the date open records ran to.
struct records_lifespan {
  lifespan_stats stats;
  /// The as-of date given to the builder, or else the latest start or end
  /// date in the records.
  day_number as_of = 0;
};

/// Merges dated customer records into one lifespan per customer, then computes
/// the statistics.
///
/// A customer's records merge into one span, from the earliest start to the
/// latest end (a gap between them counts as active); the customer is active,
/// and its span runs to the as-of date, when any of its records is open.
///
/// Example:
///   cltv::lifespan_builder builder(std::nullopt);  // as of the latest date in the records
///   auto e = builder.add(customer_index, start, end);  // for each record, any order
///   cltv::result<cltv::records_lifespan> r = std::move(builder).finish();
class lifespan_builder {
 public:
  /// Open records run to `as_of`; without one, to the latest date in the records.
  explicit lifespan_builder(std::optional<day_number> as_of) noexcept : as_of_(as_of) {}

  /// Adds a record of the customer with dense index `customer` (0, 1, 2, …, as
  /// an id table assigns them; an index that never gets a record is no
  /// customer). `end` is empty while the record is open.
  ///
  /// Fails, adding nothing, with record_days' message when the record's dates
  /// contradict each other or the as-of date. Without an as-of date only an end
  /// before the start can be wrong yet: the latest date comes last.
  [[nodiscard]] std::optional<error> add(std::uint32_t customer, day_number start,
                                         std::optional<day_number> end);

  /// Fails as lifespan_statistics does, e.g. when no record was added.
  [[nodiscard]] result<records_lifespan> finish() &&;

 private:
  struct span {
    day_number start = 0;
    day_number end = 0;  // the latest end date of its closed records
    bool open = false;   // some record has no end date
    bool added = false;  // false: an index without records
  };
  std::optional<day_number> as_of_;
  std::vector<span> spans_;
  day_number latest_ = std::numeric_limits<day_number>::min();  // the latest date so far
};

/// Collects lifespans given in years, one record per customer, then computes
/// the statistics (no customer is known to be active).
///
/// Example:
///   cltv::lifespan_years_builder builder;
///   auto added = builder.add(customer_index, 2.5);  // for each record
///   cltv::result<cltv::lifespan_stats> s = std::move(builder).finish();
class lifespan_years_builder {
 public:
  enum class added { ok, repeated };

  /// Adds the years active of the customer with dense index `customer`.
  /// Fails when `years` is negative; returns repeated, adding nothing, when
  /// the customer already has a record (each record is another customer).
  [[nodiscard]] result<added> add(std::uint32_t customer, double years);

  /// Fails as lifespan_statistics does, e.g. when no record was added.
  [[nodiscard]] result<lifespan_stats> finish() &&;

 private:
  static constexpr double no_record = -1;  // years are never negative
  std::vector<double> years_;              // by customer index
};

}  // namespace cltv
