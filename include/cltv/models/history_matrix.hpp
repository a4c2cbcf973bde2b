#pragma once
// What a purchase model says about every possible history at once: P(alive)
// and the expected purchases over a grid of frequency × recency, for a
// customer of age T — lifetimes' plot_probability_alive_matrix and
// plot_frequency_recency_matrix, as numbers to draw.

#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/purchase_model.hpp"

namespace cltv::models {

struct history_matrix {
  double T = 0;                     ///< the age every cell is evaluated at
  double horizon = 1;               ///< of expected_purchases
  std::vector<double> frequencies;  ///< rows: 0, step, 2·step, … (whole numbers)
  std::vector<double> recencies;    ///< columns: 0 … T
  /// Row-major, frequencies.size() × recencies.size(). NaN where no
  /// customer can be: no repeat purchases (frequency 0) but a recency above 0.
  std::vector<double> p_alive;
  std::vector<double> expected_purchases;  ///< E[Y(horizon) | x, t_x, T]
  [[nodiscard]] double p_alive_at(std::size_t f, std::size_t r) const {
    return p_alive[f * recencies.size() + r];
  }
  [[nodiscard]] double expected_at(std::size_t f, std::size_t r) const {
    return expected_purchases[f * recencies.size() + r];
  }
};

/// The grid for frequencies 0 … max_frequency and recencies 0 … T (lifetimes
/// takes the largest frequency and T of the summary), at most `cells` values
/// on each axis: a whole-number step for frequency, T / (cells − 1) for
/// recency (1 when T + 1 ≤ cells, as lifetimes' integer grid). Fails on a
/// negative or non-whole max_frequency, a negative or non-finite T or
/// horizon, `cells` outside 2 … 1000, and when the model cannot give a cell.
///
/// Example: make_history_matrix(model, 20, 39, 1)  // 21 × 40 cells, weeks
[[nodiscard]] result<history_matrix> make_history_matrix(const purchase_model& model,
                                                         double max_frequency, double T,
                                                         double horizon, int cells = 100);

}  // namespace cltv::models
