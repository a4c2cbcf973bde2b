#pragma once
// Gauss–Legendre rules for the models' integrals (the Pareto/NBD likelihood
// kernel, its purchase-count probabilities).

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace cltv::models::detail {

// Gauss–Legendre nodes and weights on [−1, 1] for n points, by Newton's
// method on the Legendre polynomial from the usual cosine guesses (converges
// to full double precision in a few steps).
template <std::size_t n>
struct gauss_legendre {
  std::array<double, n> node{};
  std::array<double, n> weight{};
  gauss_legendre() {
    for (std::size_t i = 0; i < n; ++i) {
      double z = std::cos(std::numbers::pi * (static_cast<double>(i) + 0.75) /
                          (static_cast<double>(n) + 0.5));
      double derivative = 1;
      for (int step = 0; step < 100; ++step) {
        double p0 = 1, p1 = z;  // P_0, P_1, then up to P_n by the recurrence
        for (std::size_t k = 2; k <= n; ++k) {
          const double kd = static_cast<double>(k);
          const double p2 = ((2 * kd - 1) * z * p1 - (kd - 1) * p0) / kd;
          p0 = p1;
          p1 = p2;
        }
        derivative = static_cast<double>(n) * (z * p1 - p0) / (z * z - 1);
        const double change = p1 / derivative;
        z -= change;
        if (std::abs(change) < 1e-17) break;
      }
      node[i] = z;
      weight[i] = 2 / ((1 - z * z) * derivative * derivative);
    }
  }
};

}  // namespace cltv::models::detail
