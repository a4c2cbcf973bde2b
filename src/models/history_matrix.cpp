#include "cltv/models/history_matrix.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "cltv/models/rfm_data.hpp"
#include "cltv/number.hpp"

namespace cltv::models {

result<history_matrix> make_history_matrix(const purchase_model& model, double max_frequency,
                                           double T, double horizon, int cells) {
  if (auto x = check_frequency(max_frequency); !x)
    return error{"max_frequency", "max_frequency: " + x.error().message};
  if (!(std::isfinite(T) && T >= 0))
    return error{"T", "T must be a non-negative number, got " + format_shortest(T)};
  if (!(std::isfinite(horizon) && horizon >= 0))
    return error{"horizon",
                 "horizon must be a non-negative number, got " + format_shortest(horizon)};
  if (!(cells >= 2 && cells <= 1000))
    return error{"cells", "cells must be 2 to 1000 a side, got " + std::to_string(cells)};
  const auto n = static_cast<double>(cells);
  history_matrix m;
  m.T = T;
  m.horizon = horizon;
  // Frequencies: every whole number while they fit, else a whole step that
  // reaches max_frequency in at most `cells` rows (the last row is the max).
  const double f_step = max_frequency + 1 <= n ? 1 : std::ceil(max_frequency / (n - 1));
  // At most `cells` rows: whole-number counters (floating ones drift).
  for (int k = 0; static_cast<double>(k) * f_step < max_frequency; ++k)
    m.frequencies.push_back(static_cast<double>(k) * f_step);
  m.frequencies.push_back(max_frequency);
  // Recencies: 0, 1, … T while they fit (T whole or not: T itself last),
  // else `cells` evenly spaced values from 0 to T.
  if (T + 1 <= n) {
    for (int k = 0; k < T; ++k) m.recencies.push_back(k);
  } else {
    for (int k = 0; k + 1 < cells; ++k) m.recencies.push_back(T * k / (n - 1));
  }
  m.recencies.push_back(T);

  const std::size_t size = m.frequencies.size() * m.recencies.size();
  m.p_alive.assign(size, std::numeric_limits<double>::quiet_NaN());
  m.expected_purchases.assign(size, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < m.frequencies.size(); ++i) {
    for (std::size_t j = 0; j < m.recencies.size(); ++j) {
      const rfm_tuple history{m.frequencies[i], m.recencies[j], T, 1};
      if (history.x == 0 && history.t_x > 0) continue;  // no such customer
      auto alive = probability_alive(model, history);
      if (!alive) return std::move(alive).error();
      auto expected = conditional_expected_purchases(model, history, horizon);
      if (!expected) return std::move(expected).error();
      m.p_alive[i * m.recencies.size() + j] = *alive;
      m.expected_purchases[i * m.recencies.size() + j] = *expected;
    }
  }
  return m;
}

}  // namespace cltv::models
