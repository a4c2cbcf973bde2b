#include "cltv/rfm.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "detail/chunked_vector.hpp"
#include "detail/u64_set.hpp"

namespace cltv {

namespace {

// One cache line per customer: a row of a shuffled log costs a cache miss
// on its customer's state, and a second line per customer made that two.
// Distinct purchase periods are counted with the periods kept inline here as
// 16-bit keys relative to the customer's first (her first 15; most customers
// have fewer), then with a set shared by all customers: the state a row needs
// is one prefetchable place, not a hash-set probe per row. The holdout's
// state is apart (holdout_state), in memory only when there is a holdout.
struct alignas(64) customer_state {
  static constexpr std::uint32_t inline_capacity = 15;
  // The first period's amount is kept apart from the repeat periods' so that
  // monetary_value is a sum of repeat amounts, not a difference of totals.
  double first_amount = 0;
  double repeat_amount = 0;
  std::int32_t first = INT32_MAX;  // first purchase period (up to the summary end)
  std::int32_t last = INT32_MIN;   // last purchase period (up to the summary end)
  std::uint32_t periods = 0;       // distinct purchase periods (up to the summary end)
  std::int32_t key_base = 0;       // the period inline keys are relative to (see inline_key)
  std::uint8_t inline_count = 0;
  std::array<std::uint16_t, inline_capacity> inline_keys{};
};
static_assert(sizeof(customer_state) == 64);

// A customer's purchases after the calibration end.
struct holdout_state {
  double amount = 0;
  std::int32_t last = INT32_MIN;  // last holdout purchase period
  std::uint32_t periods = 0;      // distinct holdout purchase periods
  std::uint32_t rows = 0;
};

// A (customer, holdout?, period) triple as one key. Customer indices stay
// below 2^31, so the key is never u64_set::empty_key.
std::uint64_t pair_key(std::uint32_t customer, bool holdout, std::int32_t period) noexcept {
  return (std::uint64_t{customer} << 33) | (std::uint64_t{holdout} << 32) |
         std::uint64_t{static_cast<std::uint32_t>(period)};
}

// (holdout?, period) in 16 bits, relative to `base`: the holdout flag, then
// period − base + 2^14; no_inline_key when the period is 2^14 or more
// periods away (that key then lives in the shared set).
constexpr std::uint32_t no_inline_key = 0x10000;
std::uint32_t inline_key(std::int32_t base, bool holdout, std::int32_t period) noexcept {
  const std::int64_t offset = std::int64_t{period} - base + (1 << 14);
  if (offset < 0 || offset >= (1 << 15)) return no_inline_key;
  return (std::uint32_t{holdout} << 15) | static_cast<std::uint32_t>(offset);
}

// `periods` of `unit` in units of `unit_days` days. Multiplied first, then
// divided: with the unit of one period the time is the whole number of
// periods exactly (7n / 7 == n), and 36 days in weeks is 36 / 7 as before.
double in_time_unit(std::int32_t periods, period_unit unit, double unit_days) noexcept {
  return static_cast<double>(periods) * period_days(unit) / unit_days;
}

}  // namespace

namespace detail {

// Its own cache lines: the shards of one log are added on different threads.
struct alignas(64) rfm_state {
  // Whether (customer, holdout?, period) is seen for the first time.
  // A key is inline or in the set, never both: whether it fits 16 bits is
  // fixed once the base is (the customer's first key, always inline), and
  // once the inline keys are full they stay full.
  bool first_time(customer_state& c, std::uint32_t customer, bool holdout, std::int32_t period) {
    if (c.inline_count == 0) c.key_base = period;
    const std::uint32_t key = inline_key(c.key_base, holdout, period);
    if (key != no_inline_key) {
      for (std::uint32_t i = 0; i < c.inline_count; ++i)
        if (c.inline_keys[i] == key) return false;
      if (c.inline_count < customer_state::inline_capacity) {
        c.inline_keys[c.inline_count++] = static_cast<std::uint16_t>(key);
        return true;
      }
    }
    return seen.insert(pair_key(customer, holdout, period));
  }

  // The holdout state of `customer`, nullptr when she has none.
  [[nodiscard]] const holdout_state* holdout_of(std::size_t customer) const noexcept {
    return customer < holdouts.size() ? &holdouts[customer] : nullptr;
  }

  // A customer's purchase in a period not seen for her before (track_activity).
  void count_period(std::int32_t period) {
    if (!options.track_activity) return;
    if (period_counts.empty()) {
      first_counted = period;
    } else if (period < first_counted) {
      period_counts.insert(period_counts.begin(), static_cast<std::size_t>(first_counted - period),
                           0);
      first_counted = period;
    }
    const auto at = static_cast<std::size_t>(period - first_counted);
    if (at >= period_counts.size()) period_counts.resize(at + 1, 0);
    ++period_counts[at];
  }

  // A row kept until the calibration end is known (calibration_periods on
  // unsorted input).
  struct kept_row {
    std::uint32_t customer;
    day_number day;
    // cppcheck-suppress unusedStructMember ; read when the kept rows are added in finish()
    double amount;
  };

  rfm_options options;
  std::vector<kept_row> kept;
  day_number first_day = INT32_MAX;  // of the kept rows up to the observation end
  detail::chunked_vector<customer_state> customers;
  detail::chunked_vector<holdout_state> holdouts;  // up to the last customer with a holdout row
  detail::u64_set seen;  // unsorted input, customers with many periods only
  day_number max_day = INT32_MIN;
  std::uint64_t after_end = 0;
  // track_activity: distinct (customer, period) purchases per period, from
  // first_counted on.
  std::vector<std::uint64_t> period_counts;
  std::int32_t first_counted = 0;
};

}  // namespace detail

using state = detail::rfm_state;

namespace {

// Each period's distinct purchases split into first and repeat ones: every
// customer's first period holds her first purchase. (Counts: the shards'
// sum in any order.)
std::vector<period_activity> activity_of(std::span<const std::shared_ptr<state>> shards,
                                         std::int32_t end_period) {
  std::vector<period_activity> out;
  std::int32_t first = INT32_MAX;
  for (const auto& s : shards)
    if (!s->period_counts.empty()) first = std::min(first, s->first_counted);
  if (first == INT32_MAX) return out;
  out.resize(static_cast<std::size_t>(std::max(end_period - first + 1, 0)));
  for (std::size_t k = 0; k < out.size(); ++k) out[k].period = first + static_cast<std::int32_t>(k);
  for (const auto& s : shards) {
    const auto offset = static_cast<std::size_t>(s->first_counted - first);
    for (std::size_t k = 0; k < s->period_counts.size() && offset + k < out.size(); ++k)
      out[offset + k].repeat_purchases += s->period_counts[k];
  }
  for (const auto& s : shards)
    for (std::size_t i = 0; i < s->customers.size(); ++i) {
      const customer_state& c = s->customers[i];
      const holdout_state* h = s->holdout_of(i);
      if (c.periods == 0 && (h == nullptr || h->periods == 0)) continue;
      const auto k = static_cast<std::size_t>(c.first - first);
      if (k >= out.size()) continue;
      ++out[k].first_purchases;
      --out[k].repeat_purchases;
    }
  return out;
}

}  // namespace

rfm_builder::rfm_builder(std::shared_ptr<state> s) : s_(std::move(s)) {}
rfm_builder::rfm_builder(rfm_builder&&) noexcept = default;
rfm_builder& rfm_builder::operator=(rfm_builder&&) noexcept = default;
rfm_builder::~rfm_builder() = default;

result<std::int32_t> check_calibration_periods(double periods) {
  if (!(periods >= 1 && periods <= 100000 && periods == std::floor(periods)))
    return error{"calibration_periods",
                 "calibration_periods must be a whole number from 1 to 100000, got " +
                     format_shortest(periods)};
  return static_cast<std::int32_t>(periods);
}

result<rfm_builder> rfm_builder::create(const rfm_options& options) {
  if (options.time_unit_days &&
      !(std::isfinite(*options.time_unit_days) && *options.time_unit_days > 0))
    return error{"time_unit", "time_unit must be a positive number of days, got " +
                                  format_shortest(*options.time_unit_days)};
  if (options.calibration_end && options.observation_end &&
      *options.calibration_end >= *options.observation_end)
    return error{"calibration_end", "calibration_end " + format_date(*options.calibration_end) +
                                        " must be before observation_end " +
                                        format_date(*options.observation_end)};
  if (options.calibration_periods) {
    if (options.calibration_end)
      return error{"calibration_periods",
                   "calibration_periods and calibration_end exclude each other"};
    auto checked = check_calibration_periods(*options.calibration_periods);
    if (!checked) return std::move(checked).error();
  }
  auto s = std::make_shared<state>();
  s->options = options;
  return rfm_builder(std::move(s));
}

void rfm_builder::prefetch(std::uint32_t customer, day_number day) const noexcept {
  const state& s = *s_;
  // The state only: the period set is probed for few customers (over 15 periods).
  if (customer < s.customers.size()) __builtin_prefetch(&s.customers[customer]);
  if (s.options.calibration_end && day > *s.options.calibration_end && customer < s.holdouts.size())
    __builtin_prefetch(&s.holdouts[customer]);
}

void rfm_builder::prefetch_period(std::uint32_t customer, day_number day) const noexcept {
  const state& s = *s_;
  if (customer >= s.customers.size() || s.options.sorted_by_date) return;
  const customer_state& c = s.customers[customer];
  // With inline keys to spare, the set is probed only for a period 2^14 or
  // more from her first: rare, left without a hint.
  if (c.inline_count < customer_state::inline_capacity) return;
  const bool holdout = s.options.calibration_end && day > *s.options.calibration_end;
  s.seen.prefetch(pair_key(customer, holdout, period_index(day, s.options.unit)));
}

rfm_builder::added rfm_builder::add(std::uint32_t customer, day_number day, double amount) {
  state& s = *s_;
  if (s.options.sorted_by_date && day < s.max_day) return added::out_of_order;
  if (s.options.calibration_periods && !s.options.calibration_end) {
    if (s.options.sorted_by_date) {  // the first row is the first date
      s.options.calibration_end = add_periods(day, *s.options.calibration_periods, s.options.unit);
    } else {
      if (!s.options.observation_end || day <= *s.options.observation_end)
        s.first_day = std::min(s.first_day, day);
      s.kept.push_back({customer, day, amount});
      return added::ok;
    }
  }
  s.max_day = std::max(s.max_day, day);
  if (customer >= s.customers.size()) s.customers.grow_to(std::size_t{customer} + 1);
  if (s.options.observation_end && day > *s.options.observation_end) {
    ++s.after_end;
    return added::ok;
  }
  customer_state& c = s.customers[customer];
  const std::int32_t period = period_index(day, s.options.unit);
  const bool sorted = s.options.sorted_by_date;

  if (s.options.calibration_end && day > *s.options.calibration_end) {
    if (customer >= s.holdouts.size()) s.holdouts.grow_to(std::size_t{customer} + 1);
    holdout_state& h = s.holdouts[customer];
    const bool new_period = period != h.last && (sorted || s.first_time(c, customer, true, period));
    h.last = period;
    if (new_period) {
      ++h.periods;
      s.count_period(period);
    }
    // Customers first seen in the holdout: their first period, for activity.
    if (c.periods == 0) c.first = std::min(c.first, period);
    ++h.rows;
    h.amount += amount;
    return added::ok;
  }

  if (c.periods == 0) {
    c.first = c.last = period;
    c.periods = 1;
    c.first_amount = amount;
    if (!sorted) s.first_time(c, customer, false, period);
    s.count_period(period);
    return added::ok;
  }
  // The first and last periods are known; only others need the period set.
  const bool new_period =
      sorted ? period != c.last
             : period != c.last && period != c.first && s.first_time(c, customer, false, period);
  if (new_period) {
    ++c.periods;
    s.count_period(period);
  }
  if (period < c.first) {  // an earlier first period: the old one becomes a repeat
    c.repeat_amount += c.first_amount;
    c.first_amount = amount;
    c.first = period;
  } else if (period == c.first) {
    c.first_amount += amount;
  } else {
    c.repeat_amount += amount;
  }
  c.last = std::max(c.last, period);
  return added::ok;
}

result<rfm_summary> rfm_builder::finish() && {
  state& s = *s_;
  if (s.options.calibration_periods && !s.options.calibration_end && !s.kept.empty()) {
    // The first date is known now: split the kept rows at the calibration end.
    const std::vector<state::kept_row> kept = std::move(s.kept);
    const day_number first = s.first_day == INT32_MAX ? kept.front().day : s.first_day;
    s.options.calibration_end = add_periods(first, *s.options.calibration_periods, s.options.unit);
    for (const state::kept_row& r : kept) add(r.customer, r.day, r.amount);
  }
  std::vector<rfm_builder> one;
  one.push_back(std::move(*this));
  return finish_shards(std::move(one));
}

result<rfm_summary> rfm_builder::finish_shards(std::vector<rfm_builder>&& shards) {
  if (shards.empty()) return error{"input", "the log has no transactions"};
  std::vector<std::shared_ptr<state>> states;
  states.reserve(shards.size());
  for (rfm_builder& b : shards) states.push_back(std::move(b.s_));
  const rfm_options& o = states.front()->options;
  if (o.calibration_periods && !o.calibration_end && states.size() > 1)
    return error{"calibration_periods", "calibration_periods needs one shard"};
  day_number max_day = INT32_MIN;
  std::uint64_t after_end = 0;
  for (const auto& s : states) {
    max_day = std::max(max_day, s->max_day);
    after_end += s->after_end;
  }
  if (max_day == INT32_MIN) return error{"input", "the log has no transactions"};

  const day_number observation_end = o.observation_end.value_or(max_day);
  if (o.calibration_end && *o.calibration_end >= observation_end) {
    if (o.calibration_periods)
      return error{"calibration_periods",
                   "calibration_periods " + std::to_string(*o.calibration_periods) +
                       " ends the calibration on " + format_date(*o.calibration_end) +
                       ", not before the observation end " + format_date(observation_end)};
    return error{"calibration_end", "calibration_end " + format_date(*o.calibration_end) +
                                        " must be before the observation end " +
                                        format_date(observation_end)};
  }
  const day_number summary_end = o.calibration_end.value_or(observation_end);
  const std::int32_t end_period = period_index(summary_end, o.unit);
  const double unit_days = o.time_unit_days.value_or(period_days(o.unit));
  const double duration_holdout =
      o.calibration_end
          ? in_time_unit(period_index(observation_end, o.unit) - end_period, o.unit, unit_days)
          : 0.0;

  rfm_summary summary;
  summary.observation_end = observation_end;
  summary.calibration_end = o.calibration_end;
  summary.time_unit_days = unit_days;
  summary.transactions_after_end = after_end;
  summary.end_period_ = end_period;
  summary.duration_holdout_ = duration_holdout;
  for (const auto& s : states) {
    summary.size_ += s->customers.size();
    for (std::size_t i = 0; i < s->customers.size(); ++i) {
      if (s->customers[i].periods == 0) {
        ++summary.customers_excluded;
      } else {
        ++summary.customers_included;
      }
    }
  }
  if (summary.customers_included == 0) {
    const char* field = o.calibration_end ? "calibration_end" : "observation_end";
    return error{field, std::string(field) + " " + format_date(summary_end) +
                            " is before every purchase in the log"};
  }
  if (o.track_activity)
    summary.activity = activity_of(states, period_index(observation_end, o.unit));
  summary.shards_.assign(states.begin(), states.end());
  return summary;
}

std::size_t rfm_summary::size() const noexcept {
  return size_;
}

std::optional<rfm_row> rfm_summary::row(std::size_t index) const noexcept {
  const std::size_t n = shards_.size();
  const state& s = *shards_[index % n];
  const customer_state& c = s.customers[index / n];
  if (c.periods == 0) return std::nullopt;
  const rfm_options& o = s.options;
  rfm_row row;
  const std::uint32_t repeats = c.periods - 1;
  row.frequency = repeats;
  row.recency = in_time_unit(c.last - c.first, o.unit, time_unit_days);
  row.T = in_time_unit(end_period_ - c.first, o.unit, time_unit_days);
  row.monetary_value = repeats > 0 ? c.repeat_amount / repeats : 0.0;
  if (o.calibration_end) {
    const holdout_state* found = s.holdout_of(index / n);
    const holdout_state h = found != nullptr ? *found : holdout_state{};
    row.frequency_holdout = h.periods;
    row.monetary_value_holdout = h.rows > 0 ? h.amount / h.rows : 0.0;
    row.duration_holdout = duration_holdout_;
    row.spend_holdout = h.amount;
  }
  return row;
}

}  // namespace cltv
