#include "cltv/value_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "cltv/number.hpp"

namespace cltv {

result<value_distribution> distribute_values(std::span<const double> values, int points) {
  if (values.empty()) return error{"values", "there are no values to distribute"};
  if (!(points >= 1 && points <= 10000))
    return error{"points",
                 "the Lorenz curve takes 1 to 10000 points, got " + std::to_string(points)};
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!(std::isfinite(values[i]) && values[i] >= 0))
      return error{"value", "value " + std::to_string(i + 1) +
                                " must be a finite number >= 0, got " + format_shortest(values[i])};
  std::vector<double> v(values.begin(), values.end());
  std::sort(v.begin(), v.end());  // ascending: the Lorenz curve's order
  const std::size_t n = v.size();
  value_distribution d;
  d.customers = static_cast<double>(n);
  // cumulative[i]: the value of the lowest i customers.
  std::vector<double> cumulative(n + 1, 0.0);
  double weighted = 0;  // Σ i·v₍ᵢ₎
  for (std::size_t i = 0; i < n; ++i) {
    cumulative[i + 1] = cumulative[i] + v[i];
    weighted += static_cast<double>(i + 1) * v[i];
  }
  // The total as the deciles add it, from the top (their shares use it);
  // the Lorenz curve divides by its own ascending sum, so that it ends at 1.
  for (std::size_t r = n; r > 0; --r) d.total += v[r - 1];
  const double ascending_total = cumulative[n];
  const double nd = static_cast<double>(n);
  if (ascending_total > 0) d.gini = 2 * weighted / (nd * ascending_total) - (nd + 1) / nd;

  // Deciles from the top: customer r (0-based, highest first) is in decile
  // ⌊10 r / n⌋ + 1.
  for (std::size_t r = 0; r < n; ++r) {
    const auto decile = static_cast<int>(10 * r / n) + 1;
    const double value = v[n - 1 - r];
    if (d.deciles.empty() || d.deciles.back().decile != decile) {
      d.deciles.push_back({decile, 0, 0, 0, 0, value, value});
    }
    value_decile& k = d.deciles.back();
    k.customers += 1;
    k.total += value;
    k.min = std::min(k.min, value);
    k.max = std::max(k.max, value);
  }
  for (value_decile& k : d.deciles) {
    k.share = d.total > 0 ? k.total / d.total : 0;
    k.mean = k.total / k.customers;
  }

  d.lorenz.reserve(static_cast<std::size_t>(points) + 1);
  for (int j = 0; j <= points; ++j) {
    const double p = static_cast<double>(j) / points;
    const double at = p * nd;  // customers below, fractional
    const auto whole = std::min(static_cast<std::size_t>(at), n);
    double held = cumulative[whole];
    if (whole < n) held += (at - static_cast<double>(whole)) * v[whole];
    d.lorenz.push_back({p, ascending_total > 0 ? held / ascending_total : p});
  }
  return d;
}

}  // namespace cltv
