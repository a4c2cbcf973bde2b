#include "models/pareto_nbd_kernel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include "models/quadrature_rules.hpp"
#include "models/special.hpp"

namespace cltv::models::detail {

namespace {

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// The silent-time integrals over one gap [lo, hi], each divided by g̃(lo):
// ∫ g̃, and ∫ g̃ times each weight the gradient needs.
struct gap_sums {
  double value = 0;
  double log_alpha = 0;   // weight ln(1 + τ/α)
  double frac_alpha = 0;  // weight τ / (α + τ)
  double log_beta = 0;    // weight ln(1 + τ/β)
  double frac_beta = 0;   // weight τ / (β + τ)
};

// The integrand's shape for one frequency: g̃(τ) = (1+τ/α)^−pa (1+τ/β)^−pb.
struct shape {
  double alpha = 1, beta = 1;
  double pa = 1, pb = 1;  // r + x and s + 1
};

// The rules integrate_gap uses, by node count: 2, 3, 4, 6 and 8.
constexpr int next_rule(int nodes) {
  return nodes < 4 ? nodes + 1 : nodes + 2;
}

// cosh²(19.6 / n): an n-node piece is safe from a branch point z (in the
// piece's own coordinates) when |z|² reaches it (see integrate_gap).
double branch_bound2(int nodes) {
  static const std::array<double, 9> bound = [] {
    std::array<double, 9> b{};
    for (int n = 2; n <= 8; ++n) {
      const double c = std::cosh(19.6 / n);
      b[static_cast<std::size_t>(n)] = c * c;
    }
    return b;
  }();
  return bound[static_cast<std::size_t>(nodes)];
}

// ∫_lo^hi of g̃ and its weighted forms, over g̃(lo). la_lo = ln(1 + lo/α),
// lb_lo = ln(1 + lo/β).
//
// In w = ln((m+τ)/(m+lo)), m = min(α, β) and M = max(α, β), the integrand is
// φ(w) = (m+lo) exp((1−p_m) w − p_M ln(1 + (τ−lo)/(M+lo))): log-concave, with
// d ln φ/dw between (1−p_m) − p_M and 1−p_m and, since (m+τ)/(M+τ) ≤ 1 grows
// with τ, at most c = |1−p_m| + p_M (m+τ)/(M+τ) in size up to τ; and analytic but
// for the branch point where M+τ = 0, at w = ln((M−m)/(m+lo)) ± iπ. An
// n-point Gauss–Legendre rule on a piece of width h errs by at most about
// (c h)^{2n+1} (n!)^4 / ((2n+1) ((2n)!)^3) relative for the growth, and by
// about ρ^{−2n} for the branch point, ρ the sum of the semi-axes of the
// ellipse with foci at the piece's ends through it. Pieces have c h ≤ 2, c
// at their end, and h ≤ 1 (ρ ≥ 12.6 for any branch point: 8 nodes suffice);
// each takes the fewest nodes that keep both below about 1e-17.
gap_sums integrate_gap(const shape& q, double lo, double hi, double la_lo, double lb_lo) {
  static const gauss_legendre<2> rule2;
  static const gauss_legendre<3> rule3;
  static const gauss_legendre<4> rule4;
  static const gauss_legendre<6> rule6;
  static const gauss_legendre<8> rule8;

  const bool alpha_is_min = q.alpha <= q.beta;
  const double m = alpha_is_min ? q.alpha : q.beta;
  const double M = alpha_is_min ? q.beta : q.alpha;
  const double pm = alpha_is_min ? q.pa : q.pb;
  const double pM = alpha_is_min ? q.pb : q.pa;
  const double lm_lo = alpha_is_min ? la_lo : lb_lo;
  const double lM_lo = alpha_is_min ? lb_lo : la_lo;
  const double base_m = m + lo;
  const double base_M = M + lo;
  const double width = std::log1p((hi - lo) / base_m);
  // The size of d ln φ/dw where m + τ = grown: it grows with τ.
  const auto rate_where = [&](double grown) {
    return std::abs(1 - pm) + pM * (grown / ((M - m) + grown));
  };
  const auto rate_at = [&](double w) { return rate_where(base_m * std::exp(w)); };
  // The branch point, in w from lo (none when α = β); its real part is only
  // needed where the imaginary part alone does not settle the nodes.
  const bool branch = M > m;
  double branch_re = std::numeric_limits<double>::quiet_NaN();

  double value = 0, log_m = 0, frac_m = 0, log_M = 0, frac_M = 0;
  const auto add_piece = [&](const auto& rule, double w0, double h) {
    for (std::size_t k = 0; k < rule.node.size(); ++k) {
      const double w = w0 + 0.5 * h * (1 + rule.node[k]);
      const double grown = std::expm1(w);    // (m+τ)/(m+lo) − 1
      const double offset = base_m * grown;  // τ − lo
      const double tau = lo + offset;
      const double ratio_M = offset / base_M;  // (M+τ)/(M+lo) − 1
      const double log_ratio_M = std::log1p(ratio_M);
      const double phi =
          0.5 * h * rule.weight[k] * base_m * std::exp((1 - pm) * w - pM * log_ratio_M);
      value += phi;
      log_m += phi * (lm_lo + w);
      frac_m += phi * (tau / (base_m * (1 + grown)));
      log_M += phi * (lM_lo + log_ratio_M);
      frac_M += phi * (tau / (base_M * (1 + ratio_M)));
    }
  };
  // Pieces from lo onward, each as wide as the growth at its end allows
  // (where g̃ falls steeply they are narrow, and the sum stops soon after).
  // The cap only bounds the work if that stop never came (it always does:
  // a steep integrand is a falling one).
  double w0 = 0;
  for (int piece = 0; piece < 100000 && w0 < width; ++piece) {
    // The last piece ends at hi, where m + τ is known without an exp.
    double h = std::min(1.0, width - w0);
    double rate = h == width - w0 ? rate_where(m + hi) : rate_at(w0 + h);
    if (rate * h > 2) {  // then 2/rate is narrow enough: the rate is lower at its end
      h = 2 / rate;
      rate = rate_at(w0 + h);
    }
    const double ch = rate * h;
    int nodes = ch <= 3e-3 ? 2 : ch <= 0.035 ? 3 : ch <= 0.15 ? 4 : ch <= 0.8 ? 6 : 8;
    if (branch && nodes < 8) {
      // ρ for the branch point z seen from [w0, w0 + h] mapped onto [−1, 1];
      // ρ^{−2n} < 1e-17 needs n > 19.6 / ln ρ. ρ and 1/ρ are |z ± √(z²−1)|,
      // whose sum is at least |2z|: ln ρ ≥ acosh|z|, which is tight here
      // (Im z = 2π/h ≥ 2π keeps z far from the real axis) and spares the
      // complex square root. So n nodes do when |z|² ≥ cosh²(19.6/n); Im z
      // alone often shows that, and then Re z (a log) is not needed.
      const double im = 2 * std::numbers::pi / h;
      double modulus2 = im * im;
      if (modulus2 < branch_bound2(nodes)) {
        if (std::isnan(branch_re)) branch_re = std::log((M - m) / base_m);
        const double re = (2 * (branch_re - w0) - h) / h;
        modulus2 += re * re;
        while (nodes < 8 && modulus2 < branch_bound2(nodes)) nodes = next_rule(nodes);
      }
    }
    switch (nodes) {
      case 2:
        add_piece(rule2, w0, h);
        break;
      case 3:
        add_piece(rule3, w0, h);
        break;
      case 4:
        add_piece(rule4, w0, h);
        break;
      case 6:
        add_piece(rule6, w0, h);
        break;
      default:
        add_piece(rule8, w0, h);
        break;
    }
    const double w1 = width - w0 <= h ? width : w0 + h;
    if (w1 < width) {
      // Past the mode, the rest is at most φ(w1) (width − w1): stop once
      // that cannot change the sum (a long gap where g̃ has long vanished).
      const double offset = base_m * std::expm1(w1);
      const double log_ratio_M = std::log1p(offset / base_M);
      const double slope = (1 - pm) - pM * ((base_m + offset) / (base_M + offset));
      const double phi = base_m * std::exp((1 - pm) * w1 - pM * log_ratio_M);
      if (slope < 0 && phi * (width - w1) < 1e-18 * value) break;
    }
    w0 = w1;
  }
  if (alpha_is_min) return {value, log_m, frac_m, log_M, frac_M};
  return {value, log_M, frac_M, log_m, frac_m};
}

// Sorts `times` and drops repeats. When they are all whole numbers below a
// bound not much above their count (days or weeks), that is done by marking
// them in a table, which also gives each time's slot (its place among the
// distinct times) directly: that table, indexed by the time, is returned.
// Otherwise by sorting, and the table returned is empty.
std::vector<std::uint32_t> sort_distinct_times(std::vector<double>& times) {
  double largest = 0;
  bool whole = true;
  for (const double t : times) {
    largest = std::max(largest, t);
    whole = whole && t >= 0 && t == std::floor(t);
  }
  const double table_limit = 4.0 * static_cast<double>(times.size()) + 1024;
  if (!whole || !(largest < table_limit)) {
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return {};
  }
  std::vector<std::uint32_t> slot_by_whole_time(static_cast<std::size_t>(largest) + 1, 0);
  for (const double t : times) slot_by_whole_time[static_cast<std::size_t>(t)] = 1;
  times.clear();
  for (std::size_t t = 0; t < slot_by_whole_time.size(); ++t)
    if (slot_by_whole_time[t] != 0) {
      slot_by_whole_time[t] = static_cast<std::uint32_t>(times.size());
      times.push_back(static_cast<double>(t));
    }
  return slot_by_whole_time;
}

double softplus(double v) {
  return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
}

double sigmoid(double v) {
  return v > 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v));
}

}  // namespace

pareto_nbd_data::pareto_nbd_data(std::span<const rfm_tuple> tuples) {
  // Every time once, ascending; each tuple's t_x and T as slots in that list.
  distinct_times_.reserve(2 * tuples.size());
  for (const rfm_tuple& c : tuples) {
    distinct_times_.push_back(c.t_x);
    distinct_times_.push_back(c.T);
  }
  const std::vector<std::uint32_t> slot_by_whole_time = sort_distinct_times(distinct_times_);
  const auto slot = [&](double t) {
    if (!slot_by_whole_time.empty()) return slot_by_whole_time[static_cast<std::size_t>(t)];
    return static_cast<std::uint32_t>(
        std::lower_bound(distinct_times_.begin(), distinct_times_.end(), t) -
        distinct_times_.begin());
  };

  // The tuples by frequency (compress_rfm's output already is).
  std::vector<std::uint32_t> order(tuples.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  const auto by_x = [&](std::uint32_t a, std::uint32_t b) { return tuples[a].x < tuples[b].x; };
  if (!std::is_sorted(order.begin(), order.end(), by_x))
    std::stable_sort(order.begin(), order.end(), by_x);

  // Per group: the slots its tuples use, ascending, and each slot's place
  // among them (scratch, as long as the distinct times).
  constexpr std::uint32_t unused = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> place(distinct_times_.size(), unused);
  std::vector<std::uint32_t> slots;
  entries_.reserve(tuples.size());
  for (std::size_t begin = 0; begin < order.size();) {
    const double x = tuples[order[begin]].x;
    std::size_t end = begin;
    while (end < order.size() && tuples[order[end]].x == x) ++end;
    group g;
    g.x = x;
    g.first = times_.size();
    slots.clear();
    for (std::size_t k = begin; k < end; ++k) {
      const rfm_tuple& c = tuples[order[k]];
      g.count += c.count;
      for (const double t : {c.t_x, c.T}) {
        const std::uint32_t s = slot(t);
        if (place[s] == unused) {
          place[s] = 0;
          slots.push_back(s);
        }
      }
    }
    std::sort(slots.begin(), slots.end());
    for (std::size_t i = 0; i < slots.size(); ++i) {
      place[slots[i]] = static_cast<std::uint32_t>(i);
      times_.push_back(distinct_times_[slots[i]]);
      time_slot_.push_back(slots[i]);
    }
    g.size = slots.size();
    for (std::size_t k = begin; k < end; ++k) {
      const rfm_tuple& c = tuples[order[k]];
      entries_.push_back({c.count, static_cast<std::uint32_t>(groups_.size()), place[slot(c.t_x)],
                          place[slot(c.T)]});
    }
    for (const std::uint32_t s : slots) place[s] = unused;
    customers_ += g.count;
    groups_.push_back(g);
    begin = end;
  }
}

double pareto_nbd_data::log_likelihood(const pareto_nbd_params& p,
                                       std::span<double> gradient) const {
  const bool want_gradient = gradient.size() == 4;
  const double log_mu = std::log(p.s) - std::log(p.beta);
  const double log_alpha = std::log(p.alpha);
  const double log_gamma_r = log_gamma(p.r);
  const double digamma_r = want_gradient ? digamma(p.r) : 0;
  double total = 0;
  std::array<double, 4> g{};

  // Per time of the current group: ln(1+t/α), ln(1+t/β), ln g̃(t), and the
  // integrals from t to the group's last time over g̃(t).
  // Kept across calls (a fit evaluates thousands of times; a fit with covariates
  // evaluates one small set of tuples per distinct row of values): no allocation
  // once they have grown.
  std::size_t largest = 0;
  for (const group& grp : groups_) largest = std::max(largest, grp.size);
  thread_local std::vector<double> la, lb, lambda, la_all, lb_all;
  thread_local std::vector<gap_sums> suffix;
  for (auto* v : {&la, &lb, &lambda})
    if (v->size() < largest) v->resize(largest);
  if (suffix.size() < largest) suffix.resize(largest);
  for (auto* v : {&la_all, &lb_all})
    if (v->size() < distinct_times_.size()) v->resize(distinct_times_.size());
  for (std::size_t k = 0; k < distinct_times_.size(); ++k) {
    la_all[k] = std::log1p(distinct_times_[k] / p.alpha);
    lb_all[k] = std::log1p(distinct_times_[k] / p.beta);
  }

  std::size_t next_entry = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const group& grp = groups_[gi];
    const shape q{p.alpha, p.beta, p.r + grp.x, p.s + 1};
    const double* t = times_.data() + grp.first;
    const std::uint32_t* slot = time_slot_.data() + grp.first;
    for (std::size_t i = 0; i < grp.size; ++i) {
      la[i] = la_all[slot[i]];
      lb[i] = lb_all[slot[i]];
      lambda[i] = -q.pa * la[i] - q.pb * lb[i];
    }
    suffix[grp.size - 1] = {};
    for (std::size_t i = grp.size - 1; i-- > 0;) {
      const gap_sums gap = integrate_gap(q, t[i], t[i + 1], la[i], lb[i]);
      const double scale = std::exp(lambda[i + 1] - lambda[i]);
      const gap_sums& later = suffix[i + 1];
      suffix[i] = {gap.value + scale * later.value, gap.log_alpha + scale * later.log_alpha,
                   gap.frac_alpha + scale * later.frac_alpha, gap.log_beta + scale * later.log_beta,
                   gap.frac_beta + scale * later.frac_beta};
    }
    total += grp.count * (log_gamma(q.pa) - log_gamma_r - grp.x * log_alpha);
    if (want_gradient) {
      g[0] += grp.count * p.r * (digamma(q.pa) - digamma_r);
      g[1] -= grp.count * grp.x;
    }

    for (; next_entry < entries_.size() && entries_[next_entry].group == gi; ++next_entry) {
      const entry& e = entries_[next_entry];
      const double T = t[e.T];
      const double log_alive_term = -q.pa * la[e.T] - p.s * lb[e.T];  // ln Ã(T)
      double dead = 0;  // the weight of the silent-time term
      gap_sums mean{};  // the weights' means over the silence
      double customer = log_alive_term;
      if (e.t_x != e.T) {
        // The silence's integral is g̃(t_x) (from − e^−fall to), fall =
        // ln g̃(t_x) − ln g̃(T) ≥ 0; against Ã(T) = g̃(T) (1 + T/β) its odds are
        // μ β/(β+T) (e^fall from − to). While e^fall is finite that is one
        // exp and, for softplus and sigmoid, one log1p; past it, logs.
        const double fall = lambda[e.t_x] - lambda[e.T];
        const gap_sums& from = suffix[e.t_x];
        const gap_sums& to = suffix[e.T];
        const double rise = std::exp(fall);
        const double integral = rise * from.value - to.value;  // over g̃(T)
        const double odds = p.s / (p.beta + T) * integral;
        if (integral > 0 && std::isfinite(odds)) {
          customer += std::log1p(odds);
          if (want_gradient) {
            dead = odds / (1 + odds);
            mean = {1, (rise * from.log_alpha - to.log_alpha) / integral,
                    (rise * from.frac_alpha - to.frac_alpha) / integral,
                    (rise * from.log_beta - to.log_beta) / integral,
                    (rise * from.frac_beta - to.frac_beta) / integral};
          }
        } else if (!std::isfinite(odds)) {
          const double scale = std::exp(-fall);
          const double relative = from.value - scale * to.value;  // over g̃(t_x)
          const double log_odds = log_mu + lambda[e.t_x] + std::log(relative) - log_alive_term;
          if (relative > 0) customer += softplus(log_odds);
          if (want_gradient && relative > 0) {
            dead = sigmoid(log_odds);
            mean = {1, (from.log_alpha - scale * to.log_alpha) / relative,
                    (from.frac_alpha - scale * to.frac_alpha) / relative,
                    (from.log_beta - scale * to.log_beta) / relative,
                    (from.frac_beta - scale * to.frac_beta) / relative};
          }
        }
      }
      total += e.count * customer;
      if (want_gradient) {
        const double alive = 1 - dead;
        g[0] -= e.count * p.r * (alive * la[e.T] + dead * mean.log_alpha);
        g[1] += e.count * q.pa * (alive * (T / (p.alpha + T)) + dead * mean.frac_alpha);
        g[2] += e.count * (dead - p.s * (alive * lb[e.T] + dead * mean.log_beta));
        g[3] += e.count * (alive * p.s * (T / (p.beta + T)) + dead * (q.pb * mean.frac_beta - 1));
      }
    }
  }
  if (want_gradient) std::copy(g.begin(), g.end(), gradient.begin());
  if (!std::isfinite(total)) return minus_infinity;
  return total;
}

double pareto_nbd_log_dead_odds(const pareto_nbd_params& p, const rfm_tuple& c) {
  if (!(c.t_x < c.T)) return minus_infinity;
  const shape q{p.alpha, p.beta, p.r + c.x, p.s + 1};
  const double la_tx = std::log1p(c.t_x / p.alpha);
  const double lb_tx = std::log1p(c.t_x / p.beta);
  const gap_sums gap = integrate_gap(q, c.t_x, c.T, la_tx, lb_tx);
  const double log_integral = -q.pa * la_tx - q.pb * lb_tx + std::log(gap.value);
  const double log_alive_term = -q.pa * std::log1p(c.T / p.alpha) - p.s * std::log1p(c.T / p.beta);
  return std::log(p.s) - std::log(p.beta) + log_integral - log_alive_term;
}

double pareto_nbd_customer_log_likelihood(const pareto_nbd_params& p, const rfm_tuple& c) {
  const double log_alive_term =
      -(p.r + c.x) * std::log1p(c.T / p.alpha) - p.s * std::log1p(c.T / p.beta);
  const double odds = pareto_nbd_log_dead_odds(p, c);
  const double tail = odds == minus_infinity ? 0 : softplus(odds);
  return log_gamma(p.r + c.x) - log_gamma(p.r) - c.x * std::log(p.alpha) + log_alive_term + tail;
}

}  // namespace cltv::models::detail
