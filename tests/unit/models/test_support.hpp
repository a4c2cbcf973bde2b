#pragma once
// What the model tests share: the value of a result that must succeed, and
// BTYD's rounded CDNOW BG/NBD parameters.

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv_test {

/// The value of `r`, failing the test with its message when it is an error.
template <typename T>
T value_of(const cltv::result<T>& r) {
  if (!r) FAIL(r.error().message);
  return *r;
}

/// BTYD's CDNOW BG/NBD estimates (weeks) as its vignette rounds them; BTYD's
/// published P(X(t) = n), which lifetimes' tests use, are at exactly these.
inline constexpr cltv::models::bgnbd_params btyd_rounded{0.243, 4.414, 0.793, 2.426};

// A BG/NBD simulator: λ ~ Gamma(r, α), p ~ Beta(a, b); from the first
// purchase at 0, exponential gaps at rate λ; after each repeat purchase the
// customer drops out with probability p; observed until T ~ U(T_lo, T_hi).
// MBG/NBD (p.variant): also right after the first purchase.
inline std::vector<cltv::models::rfm_tuple> simulate(const cltv::models::bgnbd_params& p,
                                                     std::size_t n, double T_lo, double T_hi,
                                                     std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> rate(p.r, 1 / p.alpha);
  std::gamma_distribution<double> ga(p.a, 1.0), gb(p.b, 1.0);
  std::uniform_real_distribution<double> age(T_lo, T_hi), unit(0.0, 1.0);
  std::vector<cltv::models::rfm_tuple> rows;
  rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double lambda = rate(rng);
    const double u = ga(rng), w = gb(rng);
    const double dropout = u / (u + w);
    const double T = age(rng);
    double t = 0, t_x = 0, x = 0;
    const bool gone_at_start =
        p.variant == cltv::models::bgnbd_variant::mbgnbd && unit(rng) < dropout;
    while (lambda > 0 && !gone_at_start) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > T) break;
      x += 1;
      t_x = t;
      if (unit(rng) < dropout) break;
    }
    rows.push_back({x, t_x, T, 1});
  }
  return rows;
}

}  // namespace cltv_test
