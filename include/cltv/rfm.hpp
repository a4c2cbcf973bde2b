#pragma once
// The per-customer RFM summary of a transaction log (frequency, recency, T,
// monetary value) with the semantics of the summary BG/NBD tools use
// (lifetimes' summary_data_from_transaction_data), built in one pass.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/error.hpp"

namespace cltv {

struct rfm_options {
  period_unit unit = period_unit::day;
  /// Transactions after this date are ignored; default: the last date seen.
  std::optional<day_number> observation_end;
  /// With a calibration end, the summary covers dates up to it and the
  /// holdout columns count the periods in (calibration end, observation end].
  std::optional<day_number> calibration_end;
  /// Instead of a calibration end: the calibration ends this many periods
  /// (`unit`) after the log's first date, that day included, as CLVTools'
  /// estimation.split does (add_periods: first date 2005-01-02 + 104 weeks
  /// ends it on 2006-12-31). The first date is known once every row is in,
  /// so unless sorted_by_date the rows are kept (16 bytes each) and split in
  /// finish(). 1 to 100000; excludes calibration_end.
  std::optional<std::int32_t> calibration_periods;
  /// The unit of recency, T and duration_holdout in days (cltv/time_unit.hpp):
  /// a time of n periods is n × period_days(unit) / time_unit_days. Default:
  /// one period (times count periods).
  std::optional<double> time_unit_days;
  /// The input is ordered by date: memory proportional to customers instead of
  /// to distinct (customer, period) pairs. A date earlier than one already seen
  /// is then reported by add().
  bool sorted_by_date = false;
  /// Count purchases per period for rfm_summary::activity() (tracking plots):
  /// a counter per period, and a few instructions per new purchase period.
  bool track_activity = false;
};

/// A calibration length in periods (rfm_options::calibration_periods): a
/// whole number from 1 to 100000.
[[nodiscard]] result<std::int32_t> check_calibration_periods(double periods);

/// One customer's summary. Times are in the time unit (rfm_summary::time_unit_days).
struct rfm_row {
  double frequency = 0;       // repeat purchase periods (distinct periods − 1)
  double recency = 0;         // first purchase period start → last purchase period start
  double T = 0;               // first purchase period start → observation end period start
  double monetary_value = 0;  // mean amount per repeat period (0 without repeats)
  // Holdout columns, with a calibration end only.
  double frequency_holdout = 0;  // distinct purchase periods in the holdout
  /// Mean amount per holdout transaction (0 without): per row, not per
  /// period, as lifetimes' calibration_and_holdout_data computes it.
  double monetary_value_holdout = 0;
  double duration_holdout = 0;  // periods from calibration end to observation end
  /// The holdout transactions' amounts, summed: the holdout spend, which
  /// frequency_holdout × monetary_value_holdout misses when a holdout period
  /// holds more than one transaction.
  double spend_holdout = 0;
};

/// The whole log's purchases in one period (up to the observation end), with
/// the summary's semantics: a customer's purchases in one period count once.
struct period_activity {
  std::int32_t period = 0;             ///< period_index of `unit`
  std::uint64_t first_purchases = 0;   ///< customers whose first purchase period it is
  std::uint64_t repeat_purchases = 0;  ///< customers with a purchase in it after their first
};

namespace detail {
struct rfm_state;
}

/// The summary: totals, and each customer's row computed when asked for
/// (from the builder's per-customer state, so that a million rows are not
/// held twice).
class rfm_summary {
 public:
  /// Customer indices given to add(): 0 .. size() − 1.
  [[nodiscard]] std::size_t size() const noexcept;
  /// The row of customer `index` (< size()), or nullopt when the customer is
  /// left out (no transaction up to the (calibration) end).
  [[nodiscard]] std::optional<rfm_row> row(std::size_t index) const noexcept;

  std::uint64_t customers_included = 0;
  /// Customers whose every purchase is in the holdout (calibration only), or
  /// after the observation end.
  std::uint64_t customers_excluded = 0;
  /// Transactions dated after the observation end, ignored.
  std::uint64_t transactions_after_end = 0;
  day_number observation_end = 0;
  std::optional<day_number> calibration_end;
  /// The unit of the rows' times, in days: rfm_options::time_unit_days, or
  /// the length of a period.
  double time_unit_days = 1;
  /// With rfm_options::track_activity: every period from the log's first
  /// purchase period to the observation end's, in order, customers first
  /// seen in the holdout included; empty otherwise.
  std::vector<period_activity> activity;

 private:
  friend class rfm_builder;
  // One state, or the shards' (rfm_builder::finish_shards): customer i is
  // customer i / n of shard i % n.
  std::vector<std::shared_ptr<const detail::rfm_state>> shards_;
  std::size_t size_ = 0;  // the shards' customers
  std::int32_t end_period_ = 0;
  double duration_holdout_ = 0;
};

/// Accumulates transactions, then produces the summary.
///
///   auto builder = rfm_builder::create(options);   // checks the options
///   builder->add(customer_index, day, amount);     // for each row, any order
///   result<rfm_summary> summary = std::move(*builder).finish();
class rfm_builder {
 public:
  [[nodiscard]] static result<rfm_builder> create(const rfm_options& options);

  enum class added { ok, out_of_order };

  /// Adds one transaction of the customer with dense index `customer`
  /// (0, 1, 2, … in order of first appearance, as an id table assigns them).
  /// Returns out_of_order (and ignores the row) when sorted_by_date is set and
  /// `day` is earlier than a day already added.
  added add(std::uint32_t customer, day_number day, double amount);

  /// Starts loading what add(customer, day, …) will touch (a hint; no effect
  /// on the result), so that callers can overlap the cache misses of a batch.
  void prefetch(std::uint32_t customer, day_number day) const noexcept;
  /// The second hint, given once the state prefetch() loads has had time to
  /// arrive: starts loading the slot of the shared period set that
  /// add(customer, day, …) will probe, for a customer with more purchase
  /// periods than her state keeps.
  void prefetch_period(std::uint32_t customer, day_number day) const noexcept;

  /// Fails when no transaction falls on or before the observation end (or the
  /// calibration end), naming that date, or when the calibration does not end
  /// before the observation end.
  [[nodiscard]] result<rfm_summary> finish() &&;

  /// The summary of a log whose customers were split among `shards`, all
  /// created with the same options: the log's customer c was added, as
  /// customer c / n, to shards[c % n] (n shards), each shard's rows in input
  /// order. Equals what one builder given every row in input order makes
  /// (the monetary sums included: a customer's rows are all in one shard).
  /// With sorted_by_date the caller checks the order across shards (each
  /// shard sees its own rows only). Not with calibration_periods, whose end
  /// comes from the log's first date (one shard then: it is finish()).
  [[nodiscard]] static result<rfm_summary> finish_shards(std::vector<rfm_builder>&& shards);

  rfm_builder(rfm_builder&&) noexcept;
  rfm_builder& operator=(rfm_builder&&) noexcept;
  ~rfm_builder();

 private:
  explicit rfm_builder(std::shared_ptr<detail::rfm_state> s);
  std::shared_ptr<detail::rfm_state> s_;
};

}  // namespace cltv
