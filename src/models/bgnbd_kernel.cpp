#include "models/bgnbd_kernel.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

#if defined(__x86_64__) && defined(__GNUC__)
#define CLTV_BGNBD_AVX2 1
#include <immintrin.h>
#endif

namespace cltv::models::detail {

namespace {

// Σ count · ln(1 + e) is taken as the log of a product: the factors
// (1 + e)^count of whole counts up to 64 are multiplied together (1 + e ≤ 2,
// so a factor is at most 2^64) and the product's binary exponent is moved out
// before it can overflow; one log per chunk instead of one per tuple. Other
// counts (fractional, or above 64) take their own log. Rounding: 1.1e-16
// relative per factor, far below the optimiser's tolerance.

// The portable version, for tuples [begin, end) of the chunk. The same
// arithmetic as the vector version below, in the same order per tuple.
void add_portable(const bgnbd_chunk_inputs& in, std::size_t begin, std::size_t end, double log_a,
                  bgnbd_sums& s) {
  std::array<double, bgnbd_chunk> d, e;
  for (std::size_t k = begin; k < end; ++k)
    d[k] = (log_a - in.lb1[k]) - in.sx[k] * (in.lt[k] - in.lT[k]);  // c₂ − c₁
  // Apart from the sums: a call inside the summing loop would make the
  // compiler spill and reload every running sum around it.
  for (std::size_t k = begin; k < end; ++k) e[k] = std::exp(-std::abs(d[k]));
  double product = 1;  // × 2^exponent
  int exponent = 0;
  double budget = 0;  // log2 bound of product, kept below 960
  double log_rest = 0;
  for (std::size_t k = begin; k < end; ++k) {
    const double count = in.count[k];
    // w = 1/(1+e) when d > 0, e/(1+e) otherwise: by arithmetic, not a branch
    // (the sign of d is a coin toss from tuple to tuple).
    const double positive = static_cast<double>(d[k] > 0);
    const double one_e = 1 + e[k];
    const double w = (positive + (1 - positive) * e[k]) / one_e;
    s.lse += count * (std::max(d[k], 0.0) - in.sx[k] * in.lT[k]);  // max(c₁, c₂)
    if (in.small_count[k] != 0) {
      double factor = one_e;  // one_e^count by squaring
      double powered = 1;
      for (auto bits = static_cast<std::uint32_t>(in.small_count[k]); bits != 0; bits >>= 1) {
        if ((bits & 1U) != 0) powered *= factor;
        factor *= factor;
      }
      if (budget + in.small_count[k] > 960) {
        int shift = 0;
        product = std::frexp(product, &shift);  // exact
        exponent += shift;
        budget = 0;
      }
      budget += in.small_count[k];
      product *= powered;
    } else {
      // ln(1 + e), not log1p(e): e ≤ 1, so 1 + e rounds by at most 1.1e-16.
      log_rest += count * std::log(one_e);
    }
    s.r -= count * (in.lT[k] + w * (in.lt[k] - in.lT[k]));
    s.alpha -= count * in.sx[k] * (in.iT[k] + w * (in.it[k] - in.iT[k]));
    s.w += count * w;
    s.wb += count * w * in.ib1[k];
  }
  s.lse += std::log(product) + exponent * std::numbers::ln2 + log_rest;
}

#if CLTV_BGNBD_AVX2

// e^x for four x ≤ 0 (x below −708 gives e^−708 ≈ 3e-308; NaN stays NaN):
// x = n ln 2 + r with |r| ≤ ln2 / 2 (Cody–Waite), e^r by its Taylor series
// to degree 13 (truncation below 1e-17 relative), times 2^n built in the
// exponent bits. Error within 2 ulp; glibc's exp cannot be vectorised here.
__attribute__((target("avx2,fma"))) __m256d exp_nonpositive(__m256d x) {
  x = _mm256_max_pd(_mm256_set1_pd(-708.0), x);                // NaN: max returns x
  const __m256d shifter = _mm256_set1_pd(6755399441055744.0);  // 1.5 · 2^52: rounds to integers
  const __m256d kd = _mm256_fmadd_pd(x, _mm256_set1_pd(std::numbers::log2e), shifter);
  const __m256d n = _mm256_sub_pd(kd, shifter);
  __m256d r = _mm256_fnmadd_pd(n, _mm256_set1_pd(6.93147180369123816490e-01), x);  // ln 2, high
  r = _mm256_fnmadd_pd(n, _mm256_set1_pd(1.90821492927058770002e-10), r);          // ln 2, low
  static constexpr std::array<double, 14> taylor{1.0 / 6227020800.0,
                                                 1.0 / 479001600.0,
                                                 1.0 / 39916800.0,
                                                 1.0 / 3628800.0,
                                                 1.0 / 362880.0,
                                                 1.0 / 40320.0,
                                                 1.0 / 5040.0,
                                                 1.0 / 720.0,
                                                 1.0 / 120.0,
                                                 1.0 / 24.0,
                                                 1.0 / 6.0,
                                                 0.5,
                                                 1.0,
                                                 1.0};
  __m256d p = _mm256_set1_pd(taylor[0]);
  for (std::size_t i = 1; i < taylor.size(); ++i)
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(taylor[i]));
  // kd's low mantissa bits hold n (−1022 ≤ n ≤ 0): (n + 1023) << 52 is 2^n.
  const __m256i scale =
      _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(kd), _mm256_set1_epi64x(1023)), 52);
  return _mm256_mul_pd(p, _mm256_castsi256_pd(scale));
}

__attribute__((target("avx2,fma"))) double sum_lanes(__m256d v) {
  alignas(32) std::array<double, 4> lanes{};
  _mm256_store_pd(lanes.data(), v);
  return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
}

__attribute__((target("avx2,fma"))) void add_avx2(const bgnbd_chunk_inputs& in, std::size_t n,
                                                  double log_a, bgnbd_sums& s) {
  const std::size_t vector_end = n - n % 4;
  // Squarings needed for the largest small count in the chunk (mostly 1).
  double max_count = 0;
  for (std::size_t k = 0; k < vector_end; ++k) max_count = std::max(max_count, in.small_count[k]);
  const auto bits = static_cast<int>(std::bit_width(static_cast<std::uint32_t>(max_count)));

  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  const __m256d sign = _mm256_set1_pd(-0.0);
  const __m256d vlog_a = _mm256_set1_pd(log_a);
  const __m256i mantissa = _mm256_set1_epi64x(0x000fffffffffffffLL);
  const __m256i one_bits = _mm256_set1_epi64x(0x3ff0000000000000LL);
  const __m256i bias = _mm256_set1_epi64x(1023);
  __m256d lse = zero, sr = zero, sa = zero, sw = zero, swb = zero, product = one;
  __m256i exponent = _mm256_setzero_si256();
  alignas(32) std::array<double, bgnbd_chunk> e_of{};  // for the counts that take a log
  bool any_log = false;
  for (std::size_t k = 0; k < vector_end; k += 4) {
    const __m256d lT = _mm256_load_pd(&in.lT[k]), lt = _mm256_load_pd(&in.lt[k]);
    const __m256d sx = _mm256_load_pd(&in.sx[k]), count = _mm256_load_pd(&in.count[k]);
    const __m256d dl = _mm256_sub_pd(lt, lT);
    const __m256d d = _mm256_fnmadd_pd(sx, dl, _mm256_sub_pd(vlog_a, _mm256_load_pd(&in.lb1[k])));
    const __m256d e = exp_nonpositive(_mm256_or_pd(d, sign));  // −|d|
    const __m256d one_e = _mm256_add_pd(one, e);
    const __m256d positive = _mm256_cmp_pd(d, zero, _CMP_GT_OQ);
    const __m256d w = _mm256_div_pd(_mm256_blendv_pd(e, one, positive), one_e);
    lse = _mm256_fmadd_pd(count, _mm256_fnmadd_pd(sx, lT, _mm256_max_pd(zero, d)), lse);
    // one_e^count, lanes without a small count left at 1.
    const __m256d small = _mm256_load_pd(&in.small_count[k]);
    const __m256i power = _mm256_cvtepi32_epi64(_mm256_cvttpd_epi32(small));
    __m256d factor = one_e, powered = one;
    for (int b = 0; b < bits; ++b) {
      const __m256i bit = _mm256_set1_epi64x(std::int64_t{1} << b);
      const __m256d set =
          _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(power, bit), bit));
      powered = _mm256_blendv_pd(powered, _mm256_mul_pd(powered, factor), set);
      factor = _mm256_mul_pd(factor, factor);
    }
    // product ≥ 1: move its binary exponent out, leaving it in [1, 2).
    const __m256i product_bits = _mm256_castpd_si256(_mm256_mul_pd(product, powered));
    exponent =
        _mm256_add_epi64(exponent, _mm256_sub_epi64(_mm256_srli_epi64(product_bits, 52), bias));
    product =
        _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(product_bits, mantissa), one_bits));
    if (_mm256_movemask_pd(_mm256_cmp_pd(small, zero, _CMP_EQ_OQ)) != 0) {
      _mm256_store_pd(&e_of[k], e);
      any_log = true;
    }
    sr = _mm256_fnmadd_pd(count, _mm256_fmadd_pd(w, dl, lT), sr);
    const __m256d iT = _mm256_load_pd(&in.iT[k]);
    const __m256d inverse_mix =
        _mm256_fmadd_pd(w, _mm256_sub_pd(_mm256_load_pd(&in.it[k]), iT), iT);
    sa = _mm256_fnmadd_pd(_mm256_mul_pd(count, sx), inverse_mix, sa);
    const __m256d cw = _mm256_mul_pd(count, w);
    sw = _mm256_add_pd(sw, cw);
    swb = _mm256_fmadd_pd(cw, _mm256_load_pd(&in.ib1[k]), swb);
  }
  alignas(32) std::array<double, 4> p{};
  alignas(32) std::array<std::int64_t, 4> x{};
  _mm256_store_pd(p.data(), product);
  _mm256_store_si256(reinterpret_cast<__m256i*>(x.data()), exponent);  // NOLINT: intrinsics' type
  double log_product = 0;
  for (std::size_t i = 0; i < 4; ++i)
    log_product += std::log(p[i]) + static_cast<double>(x[i]) * std::numbers::ln2;
  double log_rest = 0;  // ln(1 + e), not log1p: as in add_portable
  if (any_log)
    for (std::size_t k = 0; k < vector_end; ++k)
      if (in.small_count[k] == 0) log_rest += in.count[k] * std::log(1 + e_of[k]);
  s.lse += sum_lanes(lse) + log_product + log_rest;
  s.r += sum_lanes(sr);
  s.alpha += sum_lanes(sa);
  s.w += sum_lanes(sw);
  s.wb += sum_lanes(swb);
  if (vector_end < n) add_portable(in, vector_end, n, log_a, s);
}

bool cpu_has_avx2_fma() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

#else

bool cpu_has_avx2_fma() noexcept {
  return false;
}

#endif

std::atomic<bool>& vector_kernel_on() noexcept {
  static std::atomic<bool> on{cpu_has_avx2_fma()};
  return on;
}

}  // namespace

void add_bgnbd_chunk(const bgnbd_chunk_inputs& in, std::size_t n, double log_a, bgnbd_sums& sums) {
#if CLTV_BGNBD_AVX2
  if (vector_kernel_on().load(std::memory_order_relaxed)) {
    add_avx2(in, n, log_a, sums);
    return;
  }
#endif
  add_portable(in, 0, n, log_a, sums);
}

bool bgnbd_vector_kernel() noexcept {
  return vector_kernel_on().load();
}

bool use_bgnbd_vector_kernel(bool enabled) noexcept {
  return vector_kernel_on().exchange(enabled && cpu_has_avx2_fma());
}

}  // namespace cltv::models::detail
