#pragma once
// How value is spread over customers: deciles (the top tenth first) and the
// Lorenz curve with its Gini coefficient — "the top 10 % hold 45 % of the
// CLV". For the value charts and the report; any per-customer value works
// (CLV, historical revenue, expected purchases).

#include <span>
#include <vector>

#include "cltv/error.hpp"

namespace cltv {

/// One tenth of the customers, ranked by value from the highest.
struct value_decile {
  int decile = 1;        ///< 1 is the top tenth
  double customers = 0;  ///< customers in it
  double total = 0;      ///< their value
  double share = 0;      ///< total / the value of all (0 when that is 0)
  double mean = 0;       ///< total / customers
  double min = 0, max = 0;
};

/// A point of the Lorenz curve: the lowest `customer_share` of the customers
/// hold `value_share` of the value.
struct lorenz_point {
  double customer_share = 0;
  double value_share = 0;
};

struct value_distribution {
  double customers = 0;
  double total = 0;
  std::vector<value_decile> deciles;  ///< 10 (fewer with fewer customers: none empty)
  /// `points` + 1 points at customer shares 0, 1/points, …, 1, linear
  /// between customers (a chart of a million customers stays small).
  std::vector<lorenz_point> lorenz;
  /// Gini coefficient, 0 (all equal) … (n − 1)/n (one holds everything):
  /// 2 Σ i·v₍ᵢ₎ / (n Σ v) − (n + 1)/n over the values in ascending order,
  /// i = 1 … n. 0 when the total is 0.
  double gini = 0;
};

/// The distribution of `values` (one per customer; any order). Fails on a
/// non-finite or negative value (naming it and its position), on no values,
/// and on `points` outside 1 … 10000.
///
/// Example: distribute_values({0, 0, 0, 1}).gini == 0.75; its top decile holds
/// the whole value.
[[nodiscard]] result<value_distribution> distribute_values(std::span<const double> values,
                                                           int points = 100);

}  // namespace cltv
