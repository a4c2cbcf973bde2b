#include "cltv/models/bgnbd.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

// gamma.hpp first, in a block of its own: some Boost.Math headers (e.g.
// hypergeometric_pFq.hpp) fail to link without it before them.
#include <boost/math/special_functions/gamma.hpp>

#include <boost/math/special_functions/beta.hpp>  // the incomplete beta, for P(X(t) = n)
#include <boost/math/special_functions/digamma.hpp>

#include "cltv/number.hpp"
#include "models/bgnbd_expectation.hpp"
#include "models/bgnbd_kernel.hpp"
#include "models/bgnbd_likelihood.hpp"
#include "models/optimize.hpp"
#include "models/sketch.hpp"
#include "models/special.hpp"

namespace cltv::models {

namespace {

namespace bm = boost::math;
using detail::digamma;
using detail::log_beta;
using detail::log_gamma;
using detail::log_hyp2f1;
using detail::math_policy;
using detail::trigamma;

// ---------------------------------------------------------------------------
// The likelihood (FHL 2005 eq. 6), per customer, in log space:
//
//   ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
//       + ln( e^{c₁} + δ_{x>0} e^{c₂} ),
//   c₁ = −(r+x) ln(α+T),   c₂ = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
//
// (B(a+1, b+x−1) / B(a, b+x) = a / (b+x−1) folds the second term's beta
// function into the first's.) With w = e^{c₂} / (e^{c₁} + e^{c₂}) the weight
// of the second term, the gradient is
//
//   ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − (1−w) ln(α+T) − w ln(α+t_x)
//   ∂ℓ/∂α = r/α − (r+x) [ (1−w)/(α+T) + w/(α+t_x) ]
//   ∂ℓ/∂a = ψ(a+b) − ψ(a+b+x) + w/a
//   ∂ℓ/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − w/(b+x−1)
//
// and ∂ℓ/∂ln θ = θ ∂ℓ/∂θ. The gamma-function terms depend on x only, so they
// are evaluated once per distinct x; customers with x = 0 contribute
// r ln α − r ln(α+T) only. What is left per distinct (x > 0, t_x, T) tuple is
// one exp and ln(1 + e) (summed by models/bgnbd_kernel.hpp, vectorised where
// the CPU allows), plus ln(α+T) and ln(α+t_x): looked up in tables
// indexed by the time itself when times are whole periods (days, weeks: the
// usual case), in tables of the distinct T and t_x when those are few,
// computed in place when they are many (continuous times), where random
// lookups into large tables would cost more than the logs.
class bgnbd_likelihood {
 public:
  /// `tuples` as compress_rfm() returns them: distinct and sorted by (x, t_x, T).
  explicit bgnbd_likelihood(std::span<const rfm_tuple> tuples,
                            bgnbd_variant variant = bgnbd_variant::bgnbd)
      : shift_(variant == bgnbd_variant::mbgnbd ? 1.0 : 0.0) {
    // MBG/NBD: a dropout chance right after the first purchase too, so
    // customers without repeats have the second term (x = 0 in the repeat
    // buyers' formulas, with b + x where BG/NBD has b + x − 1).
    const bool all_repeat = shift_ != 0;
    // First, whether the repeat buyers' times are whole periods (days, weeks:
    // the usual case) small enough for tables indexed by the time itself.
    std::size_t repeats = 0;
    double max_T = 0, max_tx = 0;
    bool whole = true;
    for (const rfm_tuple& t : tuples) {
      if (t.x == 0 && !all_repeat) continue;
      ++repeats;
      whole = whole && is_whole(t.T) && is_whole(t.t_x);
      max_T = std::max(max_T, t.T);
      max_tx = std::max(max_tx, t.t_x);
    }
    // Tables pay when they stay in cache and are shared by many tuples: not for a few
    // tuples over a long span (a fit with covariates evaluates many small groups), where a
    // table of every time up to the longest would cost more logs than the tuples do.
    const std::size_t max_table = std::max<std::size_t>(8192, repeats / 16);
    const auto top = static_cast<double>(max_table);
    whole = whole && repeats > 0 && max_T < top && max_tx < top &&
            max_T + max_tx <= 8 * static_cast<double>(repeats);

    std::vector<double> Ts, txs;  // of each repeat tuple, when not whole
    repeat_.reserve(repeats);
    if (!whole) {
      Ts.reserve(repeats);
      txs.reserve(repeats);
    }
    for (const rfm_tuple& t : tuples) {
      customers_ += t.count;
      total_T_ += t.count * t.T;
      total_x_ += t.count * t.x;
      if (t.x == 0 && !all_repeat) {
        no_repeat_.push_back({t.T, t.count});
        continue;
      }
      repeat_customers_ += t.count;
      if (xs_.empty() || xs_.back() != t.x) {  // sorted by x: distinct x in order
        xs_.push_back(t.x);
        x_count_.push_back(0);
      }
      x_count_.back() += t.count;
      // Whole without floor() (a libm call on plain x86-64, once a tuple):
      // a count up to 64 survives a round trip through an int.
      const bool small = t.count <= 64 && t.count == static_cast<double>(static_cast<int>(t.count));
      // Whole periods: a time is its own index into tables of 0, 1, …, its
      // maximum; no sorting or searching.
      repeat_.push_back({t.count, static_cast<std::uint32_t>(xs_.size() - 1),
                         whole ? static_cast<std::uint32_t>(t.T) : 0,
                         whole ? static_cast<std::uint32_t>(t.t_x) : 0,
                         small ? static_cast<std::uint32_t>(t.count) : 0});
      if (!whole) {
        Ts.push_back(t.T);
        txs.push_back(t.t_x);
      }
    }
    if (whole) {
      Ts_ = whole_numbers_to(max_T);
      txs_ = whole_numbers_to(max_tx);
      use_tables_ = true;
      resize_tables();
      return;
    }
    // A sample tells continuous times (nearly all distinct) before sorting them.
    use_tables_ = !mostly_distinct(Ts) && !mostly_distinct(txs);
    std::vector<double> distinct_T, distinct_tx;
    if (use_tables_) {
      distinct_T = Ts;
      distinct_tx = txs;
      sort_unique(distinct_T);
      sort_unique(distinct_tx);
      use_tables_ = distinct_T.size() + distinct_tx.size() <= max_table;
    }
    if (use_tables_) {
      for (std::size_t k = 0; k < repeat_.size(); ++k) {
        repeat_[k].iT = index_of(distinct_T, Ts[k]);
        repeat_[k].it = index_of(distinct_tx, txs[k]);
      }
      Ts_ = std::move(distinct_T);
      txs_ = std::move(distinct_tx);
    } else {
      T_ = std::move(Ts);
      tx_ = std::move(txs);
    }
    resize_tables();
  }

  [[nodiscard]] double customers() const { return customers_; }
  /// Repeat purchases per period, over all customers' observed time (as if
  /// nobody dropped out).
  [[nodiscard]] double purchase_rate() const { return total_x_ / total_T_; }
  [[nodiscard]] bool has_repeat_purchases() const { return total_x_ > 0; }

  /// The total log-likelihood at (r, α, a, b); with `gradient` (4 entries),
  /// also its gradient with respect to (ln r, ln α, ln a, ln b).
  double evaluate(const bgnbd_params& p, double* gradient) {
    const double r = p.r, alpha = p.alpha, a = p.a, b = p.b;
    // The x-only terms vanish at x = 0 (lnΓ(r+0) − lnΓ(r) = 0, …): those
    // independent of x are counted for repeat buyers only, except r ln α.
    const double N = customers_, N1 = repeat_customers_;
    const double log_alpha = std::log(alpha);
    double ll = N * r * log_alpha + N1 * (-log_gamma(r) + log_gamma(a + b) - log_gamma(b));
    double gr = N * log_alpha - N1 * digamma(r);
    double galpha = N * r / alpha;
    const double psi_ab = digamma(a + b);
    double ga = N1 * psi_ab;
    double gb = N1 * (psi_ab - digamma(b));

    for (std::size_t k = 0; k < xs_.size(); ++k) {
      const double x = xs_[k], n = x_count_[k], bx = b + x + shift_;  // MBG/NBD: B(a, b+x+1)
      ll += n * (log_gamma(r + x) + log_gamma(bx) - log_gamma(a + bx));
      const double psi_abx = digamma(a + bx);
      gr += n * digamma(r + x);
      ga -= n * psi_abx;
      gb += n * (digamma(bx) - psi_abx);
      lb1_[k] = std::log(bx - 1);
      ib1_[k] = 1 / (bx - 1);
    }
    double sum_lt0 = 0, sum_it0 = 0;
    for (const no_repeat_tuple& t : no_repeat_) {
      const double v = alpha + t.T;
      sum_lt0 += t.count * std::log(v);
      sum_it0 += t.count / v;
    }
    ll -= r * sum_lt0;
    gr -= sum_lt0;
    galpha -= r * sum_it0;

    detail::bgnbd_sums s;
    if (use_tables_) {
      for (std::size_t j = 0; j < Ts_.size(); ++j) {
        LT_[j] = std::log(alpha + Ts_[j]);
        iT_[j] = 1 / (alpha + Ts_[j]);
      }
      for (std::size_t j = 0; j < txs_.size(); ++j) {
        Lt_[j] = std::log(alpha + txs_[j]);
        it_[j] = 1 / (alpha + txs_[j]);
      }
      s = repeat_sums<true>(r, alpha, std::log(a));
    } else {
      s = repeat_sums<false>(r, alpha, std::log(a));
    }
    ll += s.lse;
    if (gradient != nullptr) {
      gradient[0] = r * (gr + s.r);
      gradient[1] = alpha * (galpha + s.alpha);
      gradient[2] = a * ga + s.w;  // a · (… + Σ w / a)
      gradient[3] = b * (gb - s.wb);
    }
    return ll;
  }

  /// The Hessian of the total log-likelihood at (r, α, a, b) with respect to
  /// (ln r, ln α, ln a, ln b), row-major 4×4: for the standard errors, in
  /// one pass (central differences of the gradient would take eight).
  ///
  /// With θ = (r, α, a, b), per repeat tuple ∂²ln(e^{c₁} + e^{c₂}) =
  /// (1−w) ∂²c₁ + w ∂²c₂ + w(1−w) D Dᵀ, D = ∂c₂ − ∂c₁ = (ln(α+T) − ln(α+t_x),
  /// (r+x) (1/(α+T) − 1/(α+t_x)), 1/a, −1/(b+x−1)); the nonzero second
  /// derivatives of c₁, c₂ are ∂²c₁/∂r∂α = −1/(α+T), ∂²c₁/∂α² =
  /// (r+x)/(α+T)², the same with t_x for c₂, and ∂²c₂/∂a² = −1/a²,
  /// ∂²c₂/∂b² = 1/(b+x−1)². The x-only terms give trigamma functions. Then
  /// ∂²ℓ/∂ln θᵢ∂ln θⱼ = θᵢθⱼ ∂²ℓ/∂θᵢ∂θⱼ + δᵢⱼ θᵢ ∂ℓ/∂θᵢ.
  [[nodiscard]] std::array<double, 16> hessian(const bgnbd_params& p) {
    const double r = p.r, alpha = p.alpha, a = p.a, b = p.b;
    const double N = customers_, N1 = repeat_customers_;
    std::array<double, 4> g{};  // ∂ℓ/∂ln θ
    (void)evaluate(p, g.data());
    // H[i][j] = ∂²ℓ/∂θᵢ∂θⱼ, upper triangle.
    std::array<std::array<double, 4>, 4> H{};
    const double tri_ab = trigamma(a + b);
    H[0][0] = -N1 * trigamma(r);
    H[0][1] = N / alpha;
    H[1][1] = -N * r / (alpha * alpha);
    H[2][2] = N1 * tri_ab;
    H[2][3] = N1 * tri_ab;
    H[3][3] = N1 * (tri_ab - trigamma(b));
    for (std::size_t k = 0; k < xs_.size(); ++k) {
      const double x = xs_[k], n = x_count_[k], bx = b + x + shift_;
      const double tri_abx = trigamma(a + bx);
      H[0][0] += n * trigamma(r + x);
      H[2][2] -= n * tri_abx;
      H[2][3] -= n * tri_abx;
      H[3][3] += n * (trigamma(bx) - tri_abx);
    }
    for (const no_repeat_tuple& t : no_repeat_) {  // −r ln(α+T)
      const double i = 1 / (alpha + t.T);
      H[0][1] -= t.count * i;
      H[1][1] += t.count * r * i * i;
    }
    // evaluate() above filled the per-x and per-time tables at p.
    const double log_a = std::log(a);
    for (std::size_t k = 0; k < repeat_.size(); ++k) {
      const repeat_tuple& t = repeat_[k];
      const double sx = r + xs_[t.ix];
      double lT, lt, iT, it;
      if (use_tables_) {
        lT = LT_[t.iT], lt = Lt_[t.it], iT = iT_[t.iT], it = it_[t.it];
      } else {
        const double T = T_[k], t_x = tx_[k];
        lT = std::log(alpha + T), lt = std::log(alpha + t_x);
        iT = 1 / (alpha + T), it = 1 / (alpha + t_x);
      }
      const double ib1 = ib1_[t.ix];
      const double d = log_a - lb1_[t.ix] + sx * (lT - lt);  // c₂ − c₁
      const double e = std::exp(-std::abs(d));
      const double w = d > 0 ? 1 / (1 + e) : e / (1 + e);
      const std::array<double, 4> D{lT - lt, sx * (iT - it), 1 / a, -ib1};
      const double v = t.count * w * (1 - w);
      for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i; j < 4; ++j) H[i][j] += v * D[i] * D[j];
      H[0][1] -= t.count * ((1 - w) * iT + w * it);
      H[1][1] += t.count * sx * ((1 - w) * iT * iT + w * it * it);
      H[2][2] -= t.count * w / (a * a);
      H[3][3] += t.count * w * ib1 * ib1;
    }
    const std::array<double, 4> theta{r, alpha, a, b};
    std::array<double, 16> out{};
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = i; j < 4; ++j) {
        const double h = theta[i] * theta[j] * H[i][j] + (i == j ? g[i] : 0.0);
        out[i * 4 + j] = h;
        out[j * 4 + i] = h;
      }
    return out;
  }

 private:
  // The per-evaluation tables, allocated once.
  void resize_tables() {
    lb1_.resize(xs_.size());
    ib1_.resize(xs_.size());
    LT_.resize(Ts_.size());
    iT_.resize(Ts_.size());
    Lt_.resize(txs_.size());
    it_.resize(txs_.size());
  }

  // 24 bytes: the likelihood streams through these on every evaluation.
  struct repeat_tuple {
    double count;
    std::uint32_t ix, iT, it;   // indices into the per-x, per-T, per-t_x tables
    std::uint32_t small_count;  // count when a whole number from 1 to 64, else 0
  };
  struct no_repeat_tuple {
    double T, count;
  };

  // Σ count · ln(e^{c₁} + e^{c₂}) over the repeat buyers, and the sums the
  // gradient needs: the tables' entries gathered a chunk at a time, then
  // summed by the kernel (models/bgnbd_kernel.hpp).
  template <bool tables>
  [[nodiscard]] detail::bgnbd_sums repeat_sums(double r, double alpha, double log_a) const {
    detail::bgnbd_sums s;
    detail::bgnbd_chunk_inputs& in = *chunk_;
    for (std::size_t begin = 0; begin < repeat_.size(); begin += detail::bgnbd_chunk) {
      const std::size_t n = std::min(detail::bgnbd_chunk, repeat_.size() - begin);
      const repeat_tuple* const ts = repeat_.data() + begin;
      for (std::size_t k = 0; k < n; ++k) {
        const repeat_tuple& t = ts[k];
        if constexpr (tables) {
          in.lT[k] = LT_[t.iT];
          in.lt[k] = Lt_[t.it];
          in.iT[k] = iT_[t.iT];
          in.it[k] = it_[t.it];
        } else {
          const double T = T_[begin + k], t_x = tx_[begin + k];
          in.lT[k] = std::log(alpha + T);
          in.lt[k] = std::log(alpha + t_x);
          in.iT[k] = 1 / (alpha + T);
          in.it[k] = 1 / (alpha + t_x);
        }
        in.sx[k] = r + xs_[t.ix];
        in.lb1[k] = lb1_[t.ix];
        in.ib1[k] = ib1_[t.ix];
        in.count[k] = t.count;
        in.small_count[k] = t.small_count;
      }
      detail::add_bgnbd_chunk(in, n, log_a, s);
    }
    return s;
  }

  // Whether v is a whole number that fits a table index.
  static bool is_whole(double v) {
    return v >= 0 && v < 4294967296.0 && static_cast<double>(static_cast<std::uint32_t>(v)) == v;
  }
  // 0, 1, …, top.
  static std::vector<double> whole_numbers_to(double top) {
    std::vector<double> out(static_cast<std::size_t>(top) + 1);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(i);
    return out;
  }

  // Whether more than half of 4096 evenly spread values are distinct.
  static bool mostly_distinct(const std::vector<double>& v) {
    constexpr std::size_t sample_size = 4096;
    if (v.size() <= 4 * sample_size) return false;
    std::vector<double> sample(sample_size);
    for (std::size_t i = 0; i < sample_size; ++i) sample[i] = v[i * (v.size() / sample_size)];
    sort_unique(sample);
    return sample.size() > sample_size / 2;
  }
  static void sort_unique(std::vector<double>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  static std::uint32_t index_of(const std::vector<double>& v, double value) {
    return static_cast<std::uint32_t>(std::lower_bound(v.begin(), v.end(), value) - v.begin());
  }

  double customers_ = 0;
  double total_T_ = 0, total_x_ = 0;        // Σ count · T, Σ count · x
  double shift_ = 0;                        // 1 for MBG/NBD: b + x + shift − 1
  double repeat_customers_ = 0;             // with x > 0 (MBG/NBD: all)
  std::vector<double> xs_, x_count_;        // distinct x > 0, customers with each
  std::vector<no_repeat_tuple> no_repeat_;  // distinct T of customers with x = 0
  std::vector<repeat_tuple> repeat_;        // distinct tuples with x > 0
  bool use_tables_ = false;
  std::vector<double> Ts_, txs_;  // distinct T and t_x of repeat buyers (table mode)
  std::vector<double> T_, tx_;    // each repeat tuple's T and t_x (otherwise)
  // The kernel's input (18 KB), allocated once.
  std::unique_ptr<detail::bgnbd_chunk_inputs> chunk_ =
      std::make_unique<detail::bgnbd_chunk_inputs>();
  // Per-evaluation tables, allocated once.
  std::vector<double> lb1_, ib1_;  // ln(b+x−1), 1/(b+x−1) per distinct x
  std::vector<double> LT_, iT_;    // ln(α+T), 1/(α+T) per distinct T
  std::vector<double> Lt_, it_;    // ln(α+t_x), 1/(α+t_x) per distinct t_x
};

// The rows as distinct sorted tuples: themselves when they are already (a
// caller that merged them while reading, like `cltv fit`), else compressed
// into `storage`.
result<std::span<const rfm_tuple>> distinct_tuples(std::span<const rfm_tuple> rows,
                                                   std::vector<rfm_tuple>& storage) {
  if (is_compressed(rows)) return rows;
  auto compressed = compress_rfm(rows);
  if (!compressed) return std::move(compressed).error();
  storage = std::move(*compressed);
  return std::span<const rfm_tuple>(storage);
}

bgnbd_params from_log(std::span<const double> v) {
  return {std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])};
}

bool usable(const bgnbd_params& p) {
  for (double v : {p.r, p.alpha, p.a, p.b})
    if (!(std::isfinite(v) && v > 0)) return false;
  return true;
}

result<bgnbd_params> check_params(const bgnbd_params& p) {
  if (auto e =
          detail::nonpositive_parameter({{"r", p.r}, {"alpha", p.alpha}, {"a", p.a}, {"b", p.b}}))
    return std::move(*e);
  return p;
}

result<double> check_time(const char* field, double t) {
  if (!(std::isfinite(t) && t >= 0))
    return error{field,
                 std::string(field) + " must be a non-negative number, got " + format_shortest(t)};
  return t;
}

// ---------------------------------------------------------------------------
// Predictions.

// E[purchases in the next t | alive] for a customer whose rate posterior is
// Gamma(s, β) and dropout posterior Beta(a, b'), i.e. s = r + x, β = α + T,
// b' = b + x (FHL 2005 eq. 10 without its P(alive) factor; eq. 7 when x = T
// = 0):
//
//   (a+b'−1)/(a−1) · [1 − (β/(β+t))^s · 2F1(s, b'; a+b'−1; t/(β+t))].
//
// Two removable singularities are taken care of: at a = 1 (0/0) the value is
// interpolated between a = 1 ± 1e-5 (error ~1e-9 relative, from the
// cancellation at a = 1 ± 1e-5: the function is smooth in a), and when C = a+b'−1 is small or
// negative (x = 0 with a + b < 1.5) C·2F1(…; C; z) comes from Gauss's contiguous relation
// (DLMF 15.5.18) in terms of 2F1(…; C+1; z) and 2F1(…; C+2; z), whose series are positive.
std::optional<double> expected_if_alive_at(double s, double beta, double a, double bp, double t) {
  const double z = t / (beta + t);
  const double log_1mz = -std::log1p(t / beta);  // ln(1 − z) without cancellation
  const double C = a + bp - 1;
  if (C >= 0.5) {
    const auto lf = log_hyp2f1(s, bp, C, z);
    if (!lf) return std::nullopt;
    return C * -std::expm1(s * log_1mz + *lf) / (a - 1);
  }
  // C·F(C) = { [C − (2c−s−b'−1) z] F(c) + (c−s)(c−b') z F(c+1) / c } / (1 − z), c = C + 1.
  const double c = C + 1;
  const auto lf1 = log_hyp2f1(s, bp, c, z);
  const auto lf2 = log_hyp2f1(s, bp, c + 1, z);
  if (!lf1 || !lf2) return std::nullopt;
  const double k1 = C - (2 * c - s - bp - 1) * z;
  const double k2 = (c - s) * (c - bp) * z / c;
  const double p =
      k1 * std::exp((s - 1) * log_1mz + *lf1) + k2 * std::exp((s - 1) * log_1mz + *lf2);
  return (C - p) / (a - 1);
}

std::optional<double> expected_if_alive(double s, double beta, double a, double bp, double t) {
  if (t == 0) return 0.0;
  constexpr double delta = 1e-5;
  if (std::abs(a - 1) >= delta) return expected_if_alive_at(s, beta, a, bp, t);
  const auto lo = expected_if_alive_at(s, beta, 1 - delta, bp, t);
  const auto hi = expected_if_alive_at(s, beta, 1 + delta, bp, t);
  if (!lo || !hi) return std::nullopt;
  return *lo + (*hi - *lo) * (a - (1 - delta)) / (2 * delta);
}

// 1/i for the Taylor steps below (multiplications instead of divisions in
// their innermost loop).
constexpr std::size_t max_taylor_terms = 400;
constexpr std::array<double, max_taylor_terms + 3> reciprocals() {
  std::array<double, max_taylor_terms + 3> table{};
  for (std::size_t i = 1; i < table.size(); ++i) table[i] = 1.0 / static_cast<double>(i);
  return table;
}
constexpr std::array<double, max_taylor_terms + 3> reciprocal = reciprocals();

// The same expectation at increasing times t_1 ≤ t_2 ≤ … (a stream's
// cumulative values), at a cost that does not grow with t.
//
// expected_if_alive's 2F1 series needs ~40 (β+t)/β terms, and is summed
// afresh for each t. Instead it is summed once, at the first time (or at
// t = β if that is earlier, where the argument t/(β+t) is 1/2), and E is
// carried on from there in u = t/β: E = E_p[(1 − (1+up)^−s)/p] with p ~ Beta(a, b')
// (Euler's integral), whose derivative is s φ(u), φ(v) = 2F1(s+1, a; a+b';
// −v). φ solves the hypergeometric equation, so its Taylor coefficients
// about any point follow from the first two by the equation's three-term
// recurrence; their radius is v, the distance to the singular point z = 0.
// Steps of at most v/2 (and short against the equation's own scales, below)
// then converge in under 60 terms, and in a handful once v is large against
// the step, as it is for the months of a long horizon.
// The start, φ and φ′ there, are positive series at v/(1+v) ≤ 1/2 (Pfaff's
// transformation). Each step adds s ∫ φ over it, termwise: no cancellation.
std::optional<std::vector<double>> expected_if_alive_at_times(double s, double beta, double a,
                                                              double bp,
                                                              std::span<const double> times) {
  std::vector<double> out;
  out.reserve(times.size());
  std::size_t i = 0;
  for (; i < times.size() && times[i] <= 0; ++i) out.push_back(0);
  if (i == times.size()) return out;

  // Start at the first time, or at u = 1 if that is later, where the series
  // converge fast (argument u/(1+u) ≤ 1/2).
  const double A = s + 1, B = a, C = a + bp;  // φ(v) = 2F1(A, B; C; z), z = −v
  double v = std::min(1.0, times[i] / beta);
  // Where C is huge (a or b + x in the millions: a fit to data that hardly
  // identifies them), the steps (below) are ~v/C long and the series, ~40
  // (1+u) terms a time, cost less: sum those instead.
  const double last = times.back() / beta;
  const double steps = C * std::log(std::max(last / v, 1.0)) + (A + B + 1) * std::log1p(last) +
                       static_cast<double>(times.size() - i);
  if (8 * steps > 40 * (1 + last) * static_cast<double>(times.size() - i)) {
    for (; i < times.size(); ++i) {
      const auto e = expected_if_alive(s, beta, a, bp, times[i]);
      if (!e) return std::nullopt;
      out.push_back(*e);
    }
    return out;
  }
  const double zp = v / (1 + v);  // Pfaff: 2F1(A, B; C; −v) = (1+v)^−A 2F1(A, C−B; C; v/(1+v))
  const auto start = expected_if_alive(s, beta, a, bp, v * beta);
  const auto log_value = log_hyp2f1(A, C - B, C, zp);
  const auto log_slope = log_hyp2f1(A + 1, C - B, C + 1, zp);
  if (!start || !log_value || !log_slope) return std::nullopt;
  double total = *start;
  const double log_1pv = std::log1p(v);
  double y = std::exp(*log_value - A * log_1pv);                     // φ at z = −v
  double dy = A * B / C * std::exp(*log_slope - (A + 1) * log_1pv);  // dφ/dz there
  for (; i < times.size(); ++i) {
    const double target = times[i] / beta;
    while (v < target) {
      // At most v/2 (the radius is v), and at most 1/|P|, P = [C − (A+B+1) z0] /
      // (z0 (1 − z0)) the equation's y′ coefficient: the recurrence also
      // carries the equation's other solution, which changes at that rate
      // (like z^(1−C) for large C), and its terms must not outgrow ours.
      const double h = std::min({target - v, 0.5 * v, v * (1 + v) / (C + (A + B + 1) * v)});
      // Taylor terms d_n = c_n (−h)^n about z0 = −v, from
      // z(1−z) y″ + [C − (A+B+1) z] y′ − AB y = 0:
      // z0(1−z0)(n+2)(n+1) c_{n+2} = (n+A)(n+B) c_n − (n+1)[(1−2z0) n + C − (A+B+1) z0] c_{n+1}.
      const double z0 = -v;
      const double q = z0 * (1 - z0);
      const double linear = C - (A + B + 1) * z0;
      const double k = 1 - 2 * z0;
      const double h_q = h / q, hh_q = h * h_q;
      double d0 = y, d1 = -h * dy;
      double integral = d0 + d1 / 2;  // Σ d_n / (n+1): ∫ over the step, over h
      double value = d0 + d1;         // Σ d_n: φ at the end
      double slope = d1;              // Σ n d_n: −h φ′ at the end
      for (std::size_t n = 0; n + 3 < reciprocal.size(); ++n) {
        const double nd = static_cast<double>(n);
        const double d2 = (nd + A) * (nd + B) * hh_q * d0 * reciprocal[n + 1] * reciprocal[n + 2] +
                          (k * nd + linear) * h_q * d1 * reciprocal[n + 2];
        integral += d2 * reciprocal[n + 3];
        value += d2;
        slope += (nd + 2) * d2;
        if (std::abs(d2) <= 1e-17 * std::abs(value) && std::abs(d1) <= 1e-17 * std::abs(value))
          break;
        d0 = d1;
        d1 = d2;
      }
      total += s * h * integral;
      y = value;
      dy = slope / -h;
      v += h;
    }
    if (!std::isfinite(total)) return std::nullopt;
    out.push_back(total);
  }
  return out;
}

// 1 for MBG/NBD, whose dropout chances come after every purchase including
// the first: b + x + shift plays the part of BG/NBD's b + x.
double shift_of(const bgnbd_params& p) {
  return p.variant == bgnbd_variant::mbgnbd ? 1.0 : 0.0;
}

// ln of P(dead | x, t_x, T) / P(alive | x, t_x, T) for x > 0 (MBG/NBD: any x):
// ln(a/(b+x−1)) + (r+x) ln((α+T)/(α+t_x)), b + x for MBG/NBD.
double log_dead_odds(const bgnbd_params& p, const rfm_tuple& c) {
  return std::log(p.a) - std::log(p.b + c.x - 1 + shift_of(p)) +
         (p.r + c.x) * std::log1p((c.T - c.t_x) / (p.alpha + c.t_x));
}

double alive_probability(const bgnbd_params& p, const rfm_tuple& c) {
  if (c.x == 0 && p.variant == bgnbd_variant::bgnbd) return 1;
  const double d = log_dead_odds(p, c);
  // 1 / (1 + e^d), without overflow for large d.
  return d > 0 ? std::exp(-d) / (1 + std::exp(-d)) : 1 / (1 + std::exp(d));
}

error horizon_error(double t) {
  return error{"t", "the horizon t = " + format_shortest(t) +
                        " gives expected purchases too large to represent at these parameters"};
}

// The expectations given alive of customer c at `times` (increasing).
result<std::vector<double>> conditional_expected(const bgnbd_params& p, const rfm_tuple& c,
                                                 std::span<const double> times) {
  auto e =
      expected_if_alive_at_times(p.r + c.x, p.alpha + c.T, p.a, p.b + c.x + shift_of(p), times);
  if (!e) return horizon_error(times.back());
  const double alive = alive_probability(p, c);
  for (double& value : *e) value *= alive;
  return std::move(*e);
}

result<double> conditional_expected(const bgnbd_params& p, const rfm_tuple& c, double t) {
  auto e = conditional_expected(p, c, std::span<const double>(&t, 1));
  if (!e) return std::move(e).error();
  return e->front();
}

}  // namespace

std::optional<std::vector<double>> detail::bgnbd_expected_if_alive_at_times(
    double s, double beta, double a, double bp, std::span<const double> times) {
  return expected_if_alive_at_times(s, beta, a, bp, times);
}

// ---------------------------------------------------------------------------

struct detail::bgnbd_tuple_likelihood::impl {
  bgnbd_likelihood likelihood;
};

detail::bgnbd_tuple_likelihood::bgnbd_tuple_likelihood(std::span<const rfm_tuple> tuples,
                                                       bgnbd_variant variant)
    : impl_(std::make_unique<impl>(impl{bgnbd_likelihood(tuples, variant)})) {}
detail::bgnbd_tuple_likelihood::~bgnbd_tuple_likelihood() = default;
detail::bgnbd_tuple_likelihood::bgnbd_tuple_likelihood(bgnbd_tuple_likelihood&&) noexcept = default;
detail::bgnbd_tuple_likelihood& detail::bgnbd_tuple_likelihood::operator=(
    bgnbd_tuple_likelihood&&) noexcept = default;

double detail::bgnbd_tuple_likelihood::log_likelihood(const bgnbd_params& p,
                                                      std::span<double> gradient) {
  return impl_->likelihood.evaluate(p, gradient.size() == 4 ? gradient.data() : nullptr);
}

double detail::bgnbd_tuple_likelihood::customers() const {
  return impl_->likelihood.customers();
}

namespace {

// The mean negative log-likelihood per customer in log-parameters, with its
// exact gradient: its scale does not grow with the data, so the optimiser's
// tolerances mean the same on 100 or 10⁶ customers. 1e300, with a zero
// gradient, where it cannot be computed: far outside any sensible region.
detail::objective mean_objective(bgnbd_likelihood& likelihood) {
  const double n = likelihood.customers();
  return [&likelihood, n](std::span<const double> v, std::span<double> gradient) {
    const bgnbd_params p = from_log(v);
    if (!usable(p)) {  // exp over- or underflowed
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return 1e300;
    }
    std::array<double, 4> g{};
    const double ll = likelihood.evaluate(p, gradient.empty() ? nullptr : g.data());
    bool finite = std::isfinite(ll);
    for (std::size_t i = 0; i < gradient.size(); ++i) {
      gradient[i] = -g[i] / n;
      finite = finite && std::isfinite(gradient[i]);
    }
    if (!finite) {  // Γ or ψ of parameters near overflow: as far outside as above
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return 1e300;
    }
    return -ll / n;
  };
}

// The fit's minimum from a sketch of the data, for data with many distinct
// tuples; nullopt for the plain path. The sketch's Hessian is the closed
// form; a sketch or a fit with r, a or b beyond e^±20 (on its way to the
// boundaries the plain path reports) is left to the plain path.
std::optional<detail::minimize_result> minimum_from_sketch(std::span<const rfm_tuple> tuples,
                                                           bgnbd_variant variant,
                                                           const detail::objective& objective,
                                                           const std::vector<double>& start) {
  const auto sketch = detail::sketch_of(tuples);
  if (!sketch) return std::nullopt;
  bgnbd_likelihood sketch_likelihood(*sketch, variant);
  if (!sketch_likelihood.has_repeat_purchases()) return std::nullopt;
  const double n = sketch_likelihood.customers();
  return detail::minimize_from_sketch(
      objective, mean_objective(sketch_likelihood), start,
      [&sketch_likelihood, n](const detail::objective&, std::span<const double> x) {
        const std::array<double, 16> h = sketch_likelihood.hessian(from_log(x));
        std::vector<double> mean(h.size());
        for (std::size_t i = 0; i < h.size(); ++i) mean[i] = -h[i] / n;
        return mean;
      },
      [](std::span<const double> x) {
        // r, a and b (α scales with the unit of time: its bound would depend on it).
        return std::abs(x[0]) <= 20 && std::abs(x[2]) <= 20 && std::abs(x[3]) <= 20;
      });
}

}  // namespace

result<bgnbd_fit> fit_bgnbd(std::span<const rfm_tuple> rows, bgnbd_variant variant,
                            const fit_penalty& penalty) {
  std::vector<rfm_tuple> storage;
  auto tuples = distinct_tuples(rows, storage);
  if (!tuples) return std::move(tuples).error();
  const std::string model = variant == bgnbd_variant::mbgnbd ? "MBG/NBD" : "BG/NBD";
  bgnbd_likelihood likelihood(*tuples, variant);
  if (!likelihood.has_repeat_purchases())
    return error{"frequency", "no customer has a repeat purchase (every frequency is 0): the " +
                                  model + " model cannot be fitted"};

  const double n = likelihood.customers();
  const detail::objective objective = mean_objective(likelihood);
  // α is a rate of time: penalised in units of the longest age, as lifetimes does.
  const detail::penalty_term penalty_of(penalty, {1, 1 / longest_age(*tuples), 1, 1});

  // Start at r = a = b = 1 and the α whose mean rate r/α is the crude
  // purchase rate: the start, and so the optimiser's path, is the same
  // whatever the unit of time (days need α 7 times that of weeks), which
  // saves evaluations on daily summaries.
  const double alpha0 = 1 / likelihood.purchase_rate();
  const std::vector<double> start{0.0, std::log(alpha0), 0.0, 0.0};
  // Large data start from a sketch's optimum (detail::minimize_from_sketch).
  std::optional<detail::minimize_result> from_sketch;
  if (penalty.coefficient == 0)
    from_sketch = minimum_from_sketch(*tuples, variant, objective, start);
  auto minimum = from_sketch ? result<detail::minimize_result>(std::move(*from_sketch))
                             : detail::minimize_penalised(objective, penalty_of, start);
  if (!minimum) return error{"", "the " + model + " fit failed: " + minimum.error().message};
  if (!minimum->converged)
    return error{"", "the " + model + " fit did not converge: " + minimum->status};

  const std::vector<double>& v = minimum->x;
  static constexpr std::array<const char*, 4> names{"r", "alpha", "a", "b"};
  // ln θ beyond ±25 (θ below 1e-11 or above 7e10): the likelihood keeps
  // rising towards a boundary (e.g. r, α → ∞ together when the purchase rates
  // show no heterogeneity) and has no interior maximum.
  for (std::size_t i = 0; i < 4; ++i)
    if (std::abs(v[i]) > 25)
      return error{names[i], "the " + model + " fit has no interior maximum: " + names[i] +
                                 " ran off to " + format_shortest(std::exp(v[i])) +
                                 " (the data do not identify the model)"};

  std::array<double, 16> h = likelihood.hessian(from_log(v));
  for (double& e : h) e = -e;  // of the negative log-likelihood
  penalty_of.add_hessian(v, h, n);
  bgnbd_fit fit;
  const std::vector<parameter_estimate> e = detail::estimates_from_hessian(v, h, fit.report);
  fit.params = from_log(v);
  fit.params.variant = variant;
  fit.r = e[0];
  fit.alpha = e[1];
  fit.a = e[2];
  fit.b = e[3];
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -(minimum->value - penalty_of.value(v)) * n;
  fit.report.penalty = penalty.coefficient;
  fit.report.customers = static_cast<std::uint64_t>(std::llround(n));
  fit.report.unique_tuples = tuples->size();
  fit.report.status = minimum->status;
  return fit;
}

namespace {

// The likelihood over the rows, for parameters checked first.
result<bgnbd_likelihood> likelihood_of(const bgnbd_params& params,
                                       std::span<const rfm_tuple> rows) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  std::vector<rfm_tuple> storage;
  auto tuples = distinct_tuples(rows, storage);
  if (!tuples) return std::move(tuples).error();
  return bgnbd_likelihood(*tuples, params.variant);
}

}  // namespace

result<double> log_likelihood(const bgnbd_params& params, std::span<const rfm_tuple> rows) {
  auto likelihood = likelihood_of(params, rows);
  if (!likelihood) return std::move(likelihood).error();
  const double ll = likelihood->evaluate(params, nullptr);
  if (!std::isfinite(ll)) return error{"", "the log-likelihood is not finite at these parameters"};
  return ll;
}

result<std::array<double, 5>> detail::bgnbd_log_likelihood_gradient(
    const bgnbd_params& params, std::span<const rfm_tuple> rows) {
  auto likelihood = likelihood_of(params, rows);
  if (!likelihood) return std::move(likelihood).error();
  std::array<double, 5> out{};
  out[0] = likelihood->evaluate(params, &out[1]);
  return out;
}

result<std::array<double, 16>> detail::bgnbd_log_likelihood_hessian(
    const bgnbd_params& params, std::span<const rfm_tuple> rows) {
  auto likelihood = likelihood_of(params, rows);
  if (!likelihood) return std::move(likelihood).error();
  return likelihood->hessian(params);
}

result<double> expected_purchases(const bgnbd_params& params, double t) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto tt = check_time("t", t);
  if (!tt) return std::move(tt).error();
  // A new customer: x = t_x = T = 0 (BG/NBD: alive for sure; MBG/NBD: with
  // probability b / (a + b), Batislam et al. 2007).
  return conditional_expected(params, {0, 0, 0, 1}, t);
}

result<double> conditional_expected_purchases(const bgnbd_params& params, const rfm_tuple& customer,
                                              double t) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_rfm_tuple({customer.x, customer.t_x, customer.T, 1});
  if (!c) return std::move(c).error();
  auto tt = check_time("t", t);
  if (!tt) return std::move(tt).error();
  return conditional_expected(params, customer, t);
}

result<double> probability_alive(const bgnbd_params& params, const rfm_tuple& customer) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_rfm_tuple({customer.x, customer.t_x, customer.T, 1});
  if (!c) return std::move(c).error();
  return alive_probability(params, customer);
}

result<double> probability_of_purchases(const bgnbd_params& params, double t, int n) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto tt = check_time("t", t);
  if (!tt) return std::move(tt).error();
  if (n < 0) return error{"n", "n must be a non-negative integer, got " + std::to_string(n)};
  if (t == 0) return n == 0 ? 1.0 : 0.0;
  const double r = params.r, alpha = params.alpha, a = params.a, b = params.b;
  const double nd = static_cast<double>(n);
  // Still alive after n purchases, exactly n of them: a negative-binomial
  // count NB(r, α/(α+t)) at n.
  const double log_p0 = -std::log1p(t / alpha);  // ln(α/(α+t))
  const double log_z = std::log(t) - std::log(alpha + t);
  // MBG/NBD has one dropout chance more (right after the first purchase):
  // b + n + shift where BG/NBD has b + n.
  const double shift = shift_of(params);
  const double log_first = log_beta(a, b + nd + shift) - log_beta(a, b) + log_gamma(r + nd) -
                           log_gamma(r) - log_gamma(nd + 1) + r * log_p0 +
                           (n > 0 ? nd * log_z : 0.0);
  double prob = std::exp(log_first);
  if (n > 0 || shift != 0) {
    // Dropped out right after the n-th purchase (MBG/NBD: also the first, n =
    // 0), which came within t: the NB tail P(NB ≥ n) = I_z(n, r), the
    // regularised incomplete beta (FHL's 1 − Σ_{j<n} … form loses every digit
    // when the tail is small); 1 for n = 0.
    const double z = t / (alpha + t);
    const double tail = n > 0 ? bm::ibeta(nd, r, z, math_policy()) : 1.0;
    prob += std::exp(log_beta(a + 1, b + nd - 1 + shift) - log_beta(a, b)) * tail;
  }
  if (!std::isfinite(prob))
    return error{"", "P(X(t) = n) is not representable at t = " + format_shortest(t) +
                         ", n = " + std::to_string(n)};
  return prob;
}

result<double> conditional_probability_of_purchases(const bgnbd_params& params,
                                                    const rfm_tuple& customer, double t, int n) {
  auto alive_now = probability_alive(params, customer);
  if (!alive_now) return std::move(alive_now).error();
  // Alive at T, her rate and dropout chance have the posterior Gamma(r+x, α+T)
  // and Beta(a, b+x) (MBG/NBD: b+x+1, the first purchase's chance too), and
  // from T on she buys as a new BG/NBD customer does: no dropout at T itself,
  // one after each purchase. Dead, she makes none.
  const bgnbd_params from_now{params.r + customer.x, params.alpha + customer.T, params.a,
                              params.b + customer.x + shift_of(params), bgnbd_variant::bgnbd};
  auto if_alive = probability_of_purchases(from_now, t, n);
  if (!if_alive) return std::move(if_alive).error();
  return *alive_now * *if_alive + (n == 0 ? 1 - *alive_now : 0.0);
}

namespace {

// Element k: E[Y((k+1)L)] − E[Y(kL)], from the expectations at the period
// ends (E is increasing in t; a difference below rounding noise is 0, not
// −1e-17).
std::vector<double> differences(const std::vector<double>& cumulative) {
  std::vector<double> out(cumulative.size());
  double previous = 0;
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k] = std::max(0.0, cumulative[k] - previous);
    previous = cumulative[k];
  }
  return out;
}

std::vector<double> period_ends(int periods, double period_length) {
  std::vector<double> times(static_cast<std::size_t>(periods));
  for (std::size_t k = 0; k < times.size(); ++k)
    times[k] = static_cast<double>(k + 1) * period_length;
  return times;
}

}  // namespace

result<std::vector<double>> expected_purchases_by_period(const bgnbd_params& params,
                                                         const rfm_tuple& customer, int periods,
                                                         double period_length) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_rfm_tuple({customer.x, customer.t_x, customer.T, 1});
  if (!c) return std::move(c).error();
  if (auto e = detail::bad_period_stream(periods, period_length)) return std::move(*e);
  if (periods == 0) return std::vector<double>{};
  auto cumulative = conditional_expected(params, customer, period_ends(periods, period_length));
  if (!cumulative) return std::move(cumulative).error();
  return differences(*cumulative);
}

result<std::vector<double>> expected_purchases_by_period_if_alive(const bgnbd_params& params,
                                                                  double x, double T, int periods,
                                                                  double period_length) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_rfm_tuple({x, x > 0 ? T : 0, T, 1});
  if (!c) return std::move(c).error();
  if (auto e = detail::bad_period_stream(periods, period_length)) return std::move(*e);
  if (periods == 0) return std::vector<double>{};
  const std::vector<double> times = period_ends(periods, period_length);
  auto cumulative = expected_if_alive_at_times(params.r + x, params.alpha + T, params.a,
                                               params.b + x + shift_of(params), times);
  if (!cumulative) return horizon_error(times.back());
  return differences(*cumulative);
}

}  // namespace cltv::models
