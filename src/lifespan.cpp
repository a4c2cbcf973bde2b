#include "cltv/lifespan.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "cltv/number.hpp"

namespace cltv {

namespace {

// Type 7 quantile of sorted, non-empty `x`: h = (n − 1)p, interpolated
// linearly between x[⌊h⌋] and x[⌊h⌋ + 1].
double sorted_quantile(const std::vector<double>& x, double p) {
  const double h = static_cast<double>(x.size() - 1) * p;
  const double lo = std::floor(h);
  const auto i = static_cast<std::size_t>(lo);
  if (i + 1 >= x.size()) return x.back();
  return x[i] + (h - lo) * (x[i + 1] - x[i]);
}

}  // namespace

result<lifespan_stats> lifespan_statistics(std::vector<double> years, std::uint64_t active) {
  if (years.empty())
    return error{"customers",
                 "no customer records: the average lifespan of 0 customers is "
                 "undefined"};
  for (std::size_t i = 0; i < years.size(); ++i) {
    if (!std::isfinite(years[i]))
      return error{"lifespan", "lifespan " + std::to_string(i + 1) + " is not a finite number"};
    if (years[i] < 0)
      return error{"lifespan", "lifespan " + std::to_string(i + 1) + " is negative (" +
                                   format_shortest(years[i]) + " years)"};
  }
  if (active > years.size())
    return error{"active", std::to_string(active) + " active customers out of " +
                               std::to_string(years.size())};
  std::sort(years.begin(), years.end());

  // Neumaier's compensated sum: the total stays exact to the last bit or two
  // for millions of customers.
  double sum = 0;
  double compensation = 0;
  for (const double y : years) {
    const double t = sum + y;
    compensation += std::fabs(sum) >= y ? (sum - t) + y : (y - t) + sum;
    sum = t;
  }

  if (!std::isfinite(sum + compensation))
    return error{"lifespan", "the total of the lifespans is too large to represent"};

  lifespan_stats s;
  s.customers = years.size();
  s.active = active;
  s.total_years = sum + compensation;
  s.mean_years = s.total_years / static_cast<double>(years.size());
  s.min_years = years.front();
  s.q1_years = sorted_quantile(years, 0.25);
  s.median_years = sorted_quantile(years, 0.5);
  s.q3_years = sorted_quantile(years, 0.75);
  s.max_years = years.back();
  return s;
}

result<std::int32_t> record_days(day_number start, std::optional<day_number> end,
                                 day_number as_of) {
  if (end && *end < start)
    return error{"end_date",
                 "end date " + format_date(*end) + " is before start date " + format_date(start)};
  if (start > as_of)
    return error{"start_date", "start date " + format_date(start) + " is after the as-of date " +
                                   format_date(as_of)};
  if (end && *end > as_of)
    return error{"end_date", "end date " + format_date(*end) + " is after the as-of date " +
                                 format_date(as_of)};
  // Day numbers of valid dates (years 1..9999) differ by far less than 2^31.
  return end.value_or(as_of) - start;
}

std::optional<error> lifespan_builder::add(std::uint32_t customer, day_number start,
                                           std::optional<day_number> end) {
  const day_number last = end.value_or(start);
  if (auto days = record_days(start, end, as_of_.value_or(std::max(start, last))); !days)
    return std::move(days).error();
  if (customer >= spans_.size()) spans_.resize(std::size_t{customer} + 1);
  span& s = spans_[customer];
  if (s.added) {
    s.start = std::min(s.start, start);
    s.end = std::max(s.end, last);
    s.open = s.open || !end;
  } else {
    s = span{start, last, !end, true};
  }
  latest_ = std::max(latest_, last);
  return std::nullopt;
}

result<records_lifespan> lifespan_builder::finish() && {
  const day_number as_of = as_of_.value_or(latest_);
  std::vector<double> years;
  years.reserve(spans_.size());
  std::uint64_t active = 0;
  for (const span& s : spans_) {
    if (!s.added) continue;
    auto days = record_days(s.start, s.open ? std::nullopt : std::optional(s.end), as_of);
    if (!days) return std::move(days).error();  // not reached: add() checked each record
    years.push_back(years_from_days(*days));
    if (s.open) ++active;
  }
  auto stats = lifespan_statistics(std::move(years), active);
  if (!stats) return std::move(stats).error();
  return records_lifespan{*stats, as_of};
}

result<lifespan_years_builder::added> lifespan_years_builder::add(std::uint32_t customer,
                                                                  double years) {
  if (years < 0)
    return error{"years_active", "years_active " + format_shortest(years) + " is negative"};
  if (customer >= years_.size()) years_.resize(std::size_t{customer} + 1, no_record);
  if (years_[customer] != no_record) return added::repeated;
  years_[customer] = years;
  return added::ok;
}

result<lifespan_stats> lifespan_years_builder::finish() && {
  std::erase(years_, no_record);
  return lifespan_statistics(std::move(years_));
}

}  // namespace cltv
