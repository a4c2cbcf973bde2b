#pragma once
// Gaussian quadrature rules for the models' integrals: Gauss–Legendre (the
// Pareto/NBD likelihood kernel and purchase-count probabilities, DERT's
// head) and Gauss–Laguerre (DERT's exponentially discounted tail).

#include <algorithm>
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

// Gauss–Laguerre nodes and weights for ∫_0^∞ e^(−x) f(x) dx with n points:
// Newton's method on L_n from the usual asymptotic guesses (as in Numerical
// Recipes' gaulag), to full double precision.
template <std::size_t n>
struct gauss_laguerre {
  std::array<double, n> node{};
  std::array<double, n> weight{};
  gauss_laguerre() {
    double z = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double id = static_cast<double>(i);
      const double nd = static_cast<double>(n);
      if (i == 0) {
        z = 3.0 / (1.0 + 2.4 * nd);
      } else if (i == 1) {
        z += 15.0 / (1.0 + 2.5 * nd);
      } else {
        const double ai = id - 1;
        z += (1.0 + 2.55 * ai) / (1.9 * ai) * (z - node[i - 2]);
      }
      double derivative = 1, p_previous = 0;
      for (int step = 0; step < 100; ++step) {
        double p1 = 1, p2 = 0;  // L_k(z), L_{k−1}(z), up to L_n by the recurrence
        for (std::size_t k = 1; k <= n; ++k) {
          const double kd = static_cast<double>(k);
          const double p3 = p2;
          p2 = p1;
          p1 = ((2 * kd - 1 - z) * p2 - (kd - 1) * p3) / kd;
        }
        p_previous = p2;
        derivative = nd * (p1 - p2) / z;
        const double change = p1 / derivative;
        z -= change;
        if (std::abs(change) <= 1e-15 * std::max(1.0, z)) break;
      }
      node[i] = z;
      weight[i] = -1 / (derivative * nd * p_previous);
    }
  }
};

}  // namespace cltv::models::detail
