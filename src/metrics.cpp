#include "cltv/metrics.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>
#include <unordered_map>

#include "cltv/formulas.hpp"
#include "cltv/number.hpp"
#include "detail/chunked_vector.hpp"
#include "detail/u64_set.hpp"

namespace cltv {

namespace {

struct customer_span {
  std::int32_t first = INT32_MAX;  // first and last purchase period
  std::int32_t last = INT32_MIN;
};

struct period_sums {
  std::uint64_t orders = 0;
  money_sum revenue;
};

std::int32_t floor_div(std::int32_t a, std::int32_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

std::int32_t calendar_period_index(day_number days, period unit) noexcept {
  const std::int32_t month = period_index(days, period_unit::month);
  return unit == period::month ? month : floor_div(month, 12);
}

day_number calendar_period_start(std::int32_t index, period unit) noexcept {
  return period_start(unit == period::month ? index : index * 12, period_unit::month);
}

std::string period_label(day_number start, period unit) {
  const std::string date = format_date(start);  // "2024-03-01": drop "-01" or "-03-01"
  return date.substr(0, date.size() - (unit == period::month ? 3 : 6));
}

std::string censored_range(const metrics_report& report) {
  const auto censored = [](const period_metrics& p) { return p.censored; };
  const auto first = std::find_if(report.periods.begin(), report.periods.end(), censored);
  if (first == report.periods.end()) return {};
  const auto last = std::find_if(report.periods.rbegin(), report.periods.rend(), censored);
  std::string range = period_label(first->start, report.options.unit);
  if (last->start != first->start) range += ".." + period_label(last->start, report.options.unit);
  return range;
}

struct metrics_builder::state {
  metrics_options options;
  detail::chunked_vector<customer_span> customers;
  std::vector<period_sums> sums;  // sums[i] is period sums_base + i
  std::int32_t sums_base = 0;
  detail::u64_set pairs;  // (customer, period) with a purchase
  // options.cohort_revenue: what each (customer, period) pair spent.
  std::unordered_map<std::uint64_t, money_sum> pair_revenue;
  day_number min_day = INT32_MAX;
  day_number max_day = INT32_MIN;
  std::uint64_t after_end = 0;

  period_sums& sums_of(std::int32_t p) {
    if (sums.empty()) sums_base = p;
    if (p < sums_base) {
      sums.insert(sums.begin(), static_cast<std::size_t>(sums_base - p), period_sums{});
      sums_base = p;
    }
    const auto i = static_cast<std::size_t>(p - sums_base);
    if (i >= sums.size()) sums.resize(i + 1);
    return sums[i];
  }
};

metrics_builder::metrics_builder(std::unique_ptr<state> s) : s_(std::move(s)) {}
metrics_builder::metrics_builder(metrics_builder&&) noexcept = default;
metrics_builder& metrics_builder::operator=(metrics_builder&&) noexcept = default;
metrics_builder::~metrics_builder() = default;

result<metrics_builder> metrics_builder::create(const metrics_options& options) {
  if (options.inactive_after < 1 || options.inactive_after > 1000)
    return error{"inactive_after",
                 "inactive_after must be a whole number of periods in "
                 "[1, 1000], got " +
                     std::to_string(options.inactive_after)};
  if (options.cac && !(std::isfinite(*options.cac) && *options.cac > 0))
    return error{"cac", "cac must be greater than 0, got " + format_shortest(*options.cac)};
  if (!(std::isfinite(options.target) && options.target > 0))
    return error{"target", "target must be greater than 0, got " + format_shortest(options.target)};
  auto s = std::make_unique<state>();
  s->options = options;
  return metrics_builder(std::move(s));
}

void metrics_builder::prefetch(std::uint32_t customer, day_number day) const noexcept {
  const state& s = *s_;
  if (customer < s.customers.size()) __builtin_prefetch(&s.customers[customer]);
  s.pairs.prefetch((std::uint64_t{customer} << 32) |
                   static_cast<std::uint32_t>(calendar_period_index(day, s.options.unit)));
}

void metrics_builder::add(std::uint32_t customer, day_number day, const decimal_amount& amount) {
  state& s = *s_;
  if (customer >= s.customers.size()) s.customers.grow_to(std::size_t{customer} + 1);
  if (s.options.observation_end && day > *s.options.observation_end) {
    ++s.after_end;
    return;
  }
  s.min_day = std::min(s.min_day, day);
  s.max_day = std::max(s.max_day, day);
  const std::int32_t p = calendar_period_index(day, s.options.unit);
  customer_span& c = s.customers[customer];
  c.first = std::min(c.first, p);
  c.last = std::max(c.last, p);
  period_sums& sums = s.sums_of(p);
  ++sums.orders;
  sums.revenue.add(amount);
  const std::uint64_t key = (std::uint64_t{customer} << 32) | static_cast<std::uint32_t>(p);
  s.pairs.insert(key);
  if (s.options.cohort_revenue) s.pair_revenue[key].add(amount);
}

result<metrics_report> metrics_builder::finish() && {
  state& s = *s_;
  const metrics_options& o = s.options;
  if (s.max_day == INT32_MIN) {
    if (o.observation_end && s.after_end > 0)
      return error{"observation_end", "observation_end " + format_date(*o.observation_end) +
                                          " is before every purchase in the log"};
    return error{"input", "the log has no transactions"};
  }
  metrics_report report;
  report.options = o;
  report.first_day = s.min_day;
  report.observation_end = o.observation_end.value_or(s.max_day);
  report.transactions_after_end = s.after_end;

  const std::int32_t first_period = s.sums_base;
  const std::int32_t final_period = calendar_period_index(report.observation_end, o.unit);
  const auto n = static_cast<std::size_t>(std::int64_t{final_period} - first_period + 1);
  const auto slot = [&](std::int32_t p) { return static_cast<std::size_t>(p - first_period); };

  report.periods.resize(n);
  std::vector<std::int64_t> at_risk_delta(n + 1, 0);
  std::vector<std::uint64_t> cohort_sizes(n, 0);
  overall_metrics& all = report.overall;
  for (std::size_t i = 0; i < s.customers.size(); ++i) {
    const customer_span& c = s.customers[i];
    if (c.last == INT32_MIN) {  // only purchases after the end
      ++report.customers_after_end;
      continue;
    }
    ++all.customers;
    ++at_risk_delta[slot(c.first)];
    --at_risk_delta[slot(c.last) + 1];
    ++cohort_sizes[slot(c.first)];
    all.customer_periods += static_cast<std::uint64_t>(c.last - c.first + 1);
    if (c.last != c.first) ++all.repeat_purchase_rate;  // counted here, divided below
    if (c.last + o.inactive_after <= final_period) {
      ++report.periods[slot(c.last)].churned;
      ++all.churned;
    } else {
      ++all.censored_customers;
    }
  }

  // Cohorts and active customers, from the distinct (customer, period) pairs.
  report.cohorts.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    cohort_row& row = report.cohorts[i];
    row.index = first_period + static_cast<std::int32_t>(i);
    row.start = calendar_period_start(row.index, o.unit);
    row.customers = cohort_sizes[i];
    // Only cohorts with customers get their row of cells (the empty ones are
    // dropped below): a log from 0001 to 9999 is 120,000 months, and a full
    // triangle of them would be 7e9 cells.
    if (row.customers == 0) continue;
    row.active.assign(n - i, 0);
    const std::int64_t seen = std::int64_t{final_period} - row.index - o.inactive_after + 1;
    row.retained.assign(static_cast<std::size_t>(std::max<std::int64_t>(seen, 0)) + 1, 0);
  }
  // retained[k] = customers whose span (last − first) is ≥ k: count each
  // customer at min(span, K), then sum from the end.
  for (std::size_t i = 0; i < s.customers.size(); ++i) {
    const customer_span& c = s.customers[i];
    if (c.last == INT32_MIN) continue;
    std::vector<std::uint64_t>& retained = report.cohorts[slot(c.first)].retained;
    const auto span = static_cast<std::size_t>(c.last - c.first);
    ++retained[std::min(span, retained.size() - 1)];
  }
  for (cohort_row& row : report.cohorts)
    for (std::size_t k = row.retained.empty() ? 0 : row.retained.size() - 1; k > 0; --k)
      row.retained[k - 1] += row.retained[k];
  s.pairs.for_each([&](std::uint64_t key) {
    const auto customer = static_cast<std::uint32_t>(key >> 32);
    const auto p = static_cast<std::int32_t>(static_cast<std::uint32_t>(key));
    const customer_span& c = s.customers[customer];
    period_metrics& pm = report.periods[slot(p)];
    ++pm.active_customers;
    if (p == c.first) ++pm.new_customers;
    ++report.cohorts[slot(c.first)].active[static_cast<std::size_t>(p - c.first)];
  });
  if (o.cohort_revenue) {
    // Exact decimal sums per cell, in whatever order the pairs are stored.
    std::vector<std::vector<money_sum>> sums(n);
    for (std::size_t i = 0; i < n; ++i) sums[i].resize(report.cohorts[i].active.size());
    for (const auto& [key, spent] : s.pair_revenue) {
      const customer_span& c = s.customers[static_cast<std::uint32_t>(key >> 32)];
      const auto p = static_cast<std::int32_t>(static_cast<std::uint32_t>(key));
      sums[slot(c.first)][static_cast<std::size_t>(p - c.first)].add(spent);
    }
    for (std::size_t i = 0; i < n; ++i)
      for (const money_sum& cell : sums[i]) report.cohorts[i].revenue.push_back(cell.value());
  }
  std::erase_if(report.cohorts, [](const cohort_row& r) { return r.customers == 0; });

  std::int64_t at_risk = 0;
  for (std::size_t i = 0; i < n; ++i) {
    period_metrics& pm = report.periods[i];
    pm.index = first_period + static_cast<std::int32_t>(i);
    pm.start = calendar_period_start(pm.index, o.unit);
    at_risk += at_risk_delta[i];
    pm.customers = static_cast<std::uint64_t>(at_risk);
    if (i < s.sums.size()) {
      pm.orders = s.sums[i].orders;
      pm.revenue = s.sums[i].revenue;
    }
    all.orders += pm.orders;
    all.revenue.add(pm.revenue);
    if (pm.customers > 0) {
      pm.arpu = pm.revenue.per(pm.customers);
      pm.purchase_frequency = static_cast<double>(pm.orders) / static_cast<double>(pm.customers);
    }
    if (pm.orders > 0) pm.average_order_value = pm.revenue.per(pm.orders);
    if (pm.active_customers > 0)
      pm.repeat_purchase_rate = static_cast<double>(pm.active_customers - pm.new_customers) /
                                static_cast<double>(pm.active_customers);
    pm.censored = pm.index + o.inactive_after > final_period;
    if (!pm.censored && pm.customers > 0)
      pm.churn = static_cast<double>(pm.churned) / static_cast<double>(pm.customers);
  }

  const auto exposure = static_cast<double>(all.customer_periods);
  all.arpu = all.revenue.per(all.customer_periods);
  all.purchase_frequency = static_cast<double>(all.orders) / exposure;
  all.average_order_value = all.revenue.per(all.orders);
  all.repeat_purchase_rate /= static_cast<double>(all.customers);
  all.churn = static_cast<double>(all.churned) / exposure;
  if (all.churned > 0) {
    all.lifespan = exposure / static_cast<double>(all.churned);
    all.ltv = all.revenue.per(all.churned);  // = ARPU × lifespan, rounded once
    if (o.cac) {
      all.net_value = *all.ltv - *o.cac;
      all.ltv_cac_ratio = *all.ltv / *o.cac;
      all.meets_target = meets_target(*all.ltv_cac_ratio, o.target);
    }
  }
  return report;
}

result<scenario_input> measured_scenario(const metrics_report& report,
                                         std::optional<double> target) {
  const overall_metrics& all = report.overall;
  if (!all.lifespan)
    return error{"churn",
                 "cannot emit a scenario: no churn observed in the window, so the lifetime is "
                 "unbounded (try a smaller --inactive-after or a longer log)"};
  scenario_input in;
  in.period = report.options.unit;
  in.arpu = all.arpu;
  in.churn = all.churn;
  in.cac = report.options.cac;
  in.target = target;
  return in;
}

}  // namespace cltv
