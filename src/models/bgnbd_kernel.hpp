#pragma once
// The inner loop of the BG/NBD likelihood: the repeat buyers' terms
// ln(e^{c₁} + e^{c₂}) and the sums their gradient needs, a chunk of distinct
// tuples at a time. Two versions with the same arithmetic: a portable one and,
// on x86-64 CPUs with AVX2 and FMA, a vector one (four tuples at a time, its
// own exp), chosen at run time. Internal to the library (not installed).

#include <array>
#include <cstddef>

namespace cltv::models::detail {

inline constexpr std::size_t bgnbd_chunk = 256;

/// One chunk of repeat-buyer tuples, gathered from the likelihood's tables:
/// per tuple ln(α+T), ln(α+t_x), 1/(α+T), 1/(α+t_x), r + x, ln(b+x−1),
/// 1/(b+x−1), its customer count, and that count when it is a whole number
/// from 1 to 64 (else 0).
struct bgnbd_chunk_inputs {
  alignas(32) std::array<double, bgnbd_chunk> lT;
  alignas(32) std::array<double, bgnbd_chunk> lt;
  alignas(32) std::array<double, bgnbd_chunk> iT;
  alignas(32) std::array<double, bgnbd_chunk> it;
  alignas(32) std::array<double, bgnbd_chunk> sx;
  alignas(32) std::array<double, bgnbd_chunk> lb1;
  alignas(32) std::array<double, bgnbd_chunk> ib1;
  alignas(32) std::array<double, bgnbd_chunk> count;
  alignas(32) std::array<double, bgnbd_chunk> small_count;
};

/// Running totals over the repeat buyers, count-weighted: Σ ln(e^{c₁} + e^{c₂}),
/// and for the gradient Σ [(1−w) ln(α+T) + w ln(α+t_x)] (subtracted),
/// Σ (r+x) [(1−w)/(α+T) + w/(α+t_x)] (subtracted), Σ w, Σ w/(b+x−1), where w
/// is the weight of the second term.
struct bgnbd_sums {
  double lse = 0, r = 0, alpha = 0, w = 0, wb = 0;
};

/// Adds the first n (≤ bgnbd_chunk) tuples of `in` to `sums`; log_a = ln a.
void add_bgnbd_chunk(const bgnbd_chunk_inputs& in, std::size_t n, double log_a, bgnbd_sums& sums);

/// Whether add_bgnbd_chunk() uses the vector version (the CPU has AVX2 and
/// FMA, and the tests have not turned it off).
[[nodiscard]] bool bgnbd_vector_kernel() noexcept;

/// For the tests: turns the vector version off (false) or back on where the
/// CPU has it (true). Returns whether it was in use.
bool use_bgnbd_vector_kernel(bool enabled) noexcept;

}  // namespace cltv::models::detail
