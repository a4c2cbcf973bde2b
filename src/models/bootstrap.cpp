#include "cltv/models/bootstrap.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>
#include <tuple>

#include "cltv/number.hpp"

namespace cltv::models {
namespace {

// The 128-bit product Lemire's method needs (GCC and Clang have it).
__extension__ using uint128 = unsigned __int128;

constexpr int max_replicates = 100000;
constexpr int max_threads = 256;

// SplitMix64 (Steele, Lea & Flood 2014): a small, fast stream that passes
// BigCrush, with a fixed definition (std's distributions are not portable).
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t state) : state_(state) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // A uniform integer in [0, n), n > 0, without modulo bias (Lemire 2019).
  std::uint64_t below(std::uint64_t n) noexcept {
    uint128 m = static_cast<uint128>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<uint128>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

 private:
  std::uint64_t state_;
};

// Replicate k's stream: the seed and k mixed, so that neighbouring seeds and
// indices give unrelated streams.
splitmix64 replicate_stream(std::uint64_t seed, std::uint64_t index) {
  splitmix64 mix(seed);
  const std::uint64_t a = mix.next();
  splitmix64 mix_index(index ^ 0x6a09e667f3bcc909ULL);
  return splitmix64(a ^ mix_index.next());
}

// Runs work(k) for k = 0 … count − 1 on `threads` threads, each k exactly
// once; which thread runs k does not matter to a caller that writes only to
// slot k.
template <typename Work>
void run_indexed(std::size_t count, int threads, Work work) {
  const auto n = static_cast<std::size_t>(std::max(1, threads));
  if (n == 1 || count <= 1) {
    for (std::size_t k = 0; k < count; ++k) work(k);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto loop = [&] {
    for (std::size_t k = next.fetch_add(1); k < count; k = next.fetch_add(1)) work(k);
  };
  std::vector<std::jthread> pool;
  pool.reserve(std::min(n, count) - 1);
  for (std::size_t t = 1; t < std::min(n, count); ++t) pool.emplace_back(loop);
  loop();
}

// The customers' distinct (x, t_x, T) and, per customer, which one is theirs:
// a replicate's purchase data are the distinct rows with summed draws.
struct distinct_rows {
  std::vector<rfm_tuple> rows;
  std::vector<std::size_t> of_customer;
};

distinct_rows distinct_rows_of(std::span<const rfm_tuple> customers) {
  distinct_rows d;
  std::vector<std::size_t> order(customers.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto key = [&](std::size_t i) {
    return std::tie(customers[i].x, customers[i].t_x, customers[i].T);
  };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  d.of_customer.resize(customers.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    if (d.rows.empty() || key(order[k - 1]) != key(i)) {
      const rfm_tuple& c = customers[i];
      d.rows.push_back({c.x, c.t_x, c.T, 0});
    }
    d.of_customer[i] = d.rows.size() - 1;
  }
  return d;
}

bootstrap_replicate refit_one(std::span<const rfm_tuple> customers,
                              std::span<const double> monetary_value, const distinct_rows& distinct,
                              std::span<const double> counts, const bootstrap_models& models,
                              std::uint64_t seed, std::uint64_t index) {
  bootstrap_replicate out;
  const std::vector<double> draws = bootstrap_draw_counts(counts, seed, index);
  std::vector<double> summed(distinct.rows.size(), 0.0);
  for (std::size_t i = 0; i < customers.size(); ++i) summed[distinct.of_customer[i]] += draws[i];
  std::vector<rfm_tuple> rows;
  rows.reserve(distinct.rows.size());
  for (std::size_t k = 0; k < distinct.rows.size(); ++k)
    if (summed[k] > 0)
      rows.push_back({distinct.rows[k].x, distinct.rows[k].t_x, distinct.rows[k].T, summed[k]});
  auto fit = fit_purchase_model(models.purchase, rows, models.purchase_penalty);
  if (!fit) {
    out.failure = fit.error().message;
    return out;
  }
  if (!fit->report.converged) {
    out.failure =
        std::string(names_of(models.purchase).name) + " did not converge: " + fit->report.status;
    return out;
  }
  out.purchase = fit->model;
  if (models.spend) {
    std::vector<spend_row> spend_rows;
    for (std::size_t i = 0; i < customers.size(); ++i)
      if (draws[i] > 0 && customers[i].x > 0)
        spend_rows.push_back({customers[i].x, monetary_value[i], draws[i]});
    auto gg = fit_gamma_gamma(spend_rows, *models.spend);
    if (!gg) {
      out.failure = "gamma-gamma: " + gg.error().message;
      out.purchase.reset();
      return out;
    }
    if (!gg->report.converged || !(gg->params.q > 1)) {
      out.failure = gg->report.converged ? "gamma-gamma: q <= 1, no mean spend"
                                         : "gamma-gamma did not converge: " + gg->report.status;
      out.purchase.reset();
      return out;
    }
    out.spend = gg->params;
  }
  return out;
}

// Type 7 quantile of sorted values.
double quantile_of_sorted(std::span<const double> sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

constexpr std::size_t block_customers = 1024;

// The replicates that were fitted, by index, and the first failure's reason.
struct fitted_indices {
  std::vector<std::size_t> indices;
  std::string first_failure;
};

result<fitted_indices> fitted_replicates(std::span<const bootstrap_replicate> replicates,
                                         const bootstrap_settings& settings) {
  auto checked = check_bootstrap_settings(settings);
  if (!checked) return std::move(checked).error();
  fitted_indices out;
  for (std::size_t k = 0; k < replicates.size(); ++k) {
    if (replicates[k].purchase) {
      out.indices.push_back(k);
    } else if (out.first_failure.empty()) {
      out.first_failure = "replicate " + std::to_string(k + 1) + ": " + replicates[k].failure;
    }
  }
  if (out.indices.size() < 2)
    return error{"bootstrap", "only " + std::to_string(out.indices.size()) + " of " +
                                  std::to_string(replicates.size()) +
                                  " bootstrap replicates could be fitted" +
                                  (out.first_failure.empty() ? "" : "; " + out.first_failure)};
  return out;
}

// Every customer's percentile intervals of `quantities` numbers, and those of
// the totals over customers (weighted by count) of the quantities listed in
// `summed`.
struct interval_table {
  std::vector<interval_bounds> bounds;  // [customer · quantities + q]
  std::vector<interval_bounds> totals;  // in the order of `summed`
};

// evaluate(r, i, out) writes customer i's quantities under fitted replicate r
// (0 … used − 1) to out[0 … quantities − 1]. Customers go in blocks: within
// one, the replicates are spread over the threads, each writing only its own
// slots and its own totals (summed in the customers' order, so that the
// result does not depend on the threads); then the customers' percentiles.
// Memory: one block's values, not all customers'.
template <typename Evaluate>
result<interval_table> percentile_table(std::span<const rfm_tuple> customers, std::size_t used,
                                        std::size_t quantities, std::vector<std::size_t> summed,
                                        const bootstrap_settings& settings, Evaluate evaluate) {
  interval_table out;
  out.bounds.resize(customers.size() * quantities);
  std::vector<std::vector<double>> totals(summed.size(), std::vector<double>(used, 0.0));
  std::vector<std::optional<error>> failures(used);
  std::vector<double> values;  // [(c · used + r) · quantities + q]: block customer c, replicate r
  for (std::size_t first = 0; first < customers.size(); first += block_customers) {
    const std::size_t n = std::min(block_customers, customers.size() - first);
    values.assign(n * used * quantities, 0.0);
    run_indexed(used, settings.threads, [&](std::size_t r) {
      if (failures[r]) return;
      for (std::size_t c = 0; c < n; ++c) {
        double* slot = &values[(c * used + r) * quantities];
        if (auto e = evaluate(r, first + c, slot)) {
          failures[r] = std::move(e);
          return;
        }
        for (std::size_t t = 0; t < summed.size(); ++t)
          totals[t][r] += slot[summed[t]] * customers[first + c].count;
      }
    });
    for (const std::optional<error>& e : failures)
      if (e) return *e;
    run_indexed(n, settings.threads, [&](std::size_t c) {
      std::vector<double> column(used);
      for (std::size_t q = 0; q < quantities; ++q) {
        for (std::size_t r = 0; r < used; ++r) column[r] = values[(c * used + r) * quantities + q];
        out.bounds[(first + c) * quantities + q] = percentile_bounds(column, settings.confidence);
      }
    });
  }
  for (std::size_t t = 0; t < totals.size(); ++t)  // percentile_bounds sorts each in place
    out.totals.push_back(percentile_bounds(totals[t], settings.confidence));
  return out;
}

}  // namespace

result<bootstrap_settings> check_bootstrap_settings(const bootstrap_settings& s) {
  if (!(s.replicates >= 2 && s.replicates <= max_replicates))
    return error{"bootstrap", "bootstrap needs from 2 to " + std::to_string(max_replicates) +
                                  " replicates, got " + std::to_string(s.replicates)};
  if (!(s.confidence > 0 && s.confidence < 1))
    return error{"confidence", "confidence must be a level in (0, 1) such as 90%, got " +
                                   format_shortest(s.confidence)};
  if (!(s.threads >= 1 && s.threads <= max_threads))
    return error{"threads", "threads must be from 1 to " + std::to_string(max_threads) + ", got " +
                                std::to_string(s.threads)};
  return s;
}

std::vector<double> bootstrap_draw_counts(std::span<const double> counts, std::uint64_t seed,
                                          std::uint64_t index) {
  std::vector<double> draws(counts.size(), 0.0);
  splitmix64 stream = replicate_stream(seed, index);
  const bool single = std::all_of(counts.begin(), counts.end(), [](double c) { return c == 1; });
  if (single) {
    const auto n = static_cast<std::uint64_t>(counts.size());
    for (std::uint64_t k = 0; k < n; ++k) draws[stream.below(n)] += 1;
    return draws;
  }
  // Rows standing for several customers: draw a customer, find their row.
  std::vector<std::uint64_t> ends(counts.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i)
    ends[i] = total += static_cast<std::uint64_t>(counts[i]);
  for (std::uint64_t k = 0; k < total; ++k) {
    const std::uint64_t customer = stream.below(total);
    const auto row = std::upper_bound(ends.begin(), ends.end(), customer) - ends.begin();
    draws[static_cast<std::size_t>(row)] += 1;
  }
  return draws;
}

result<std::vector<bootstrap_replicate>> refit_bootstrap_replicates(
    std::span<const rfm_tuple> customers, std::span<const double> monetary_value,
    const bootstrap_models& models, const bootstrap_settings& settings) {
  auto checked = check_bootstrap_settings(settings);
  if (!checked) return std::move(checked).error();
  if (!is_purchase_model(models.purchase))
    return error{"model", "the bootstrap refits a purchase model (bgnbd, mbgnbd, pareto-nbd)"};
  if (models.spend && monetary_value.size() != customers.size())
    return error{"monetary_value", "one monetary value per customer is needed to refit spend"};
  std::vector<double> counts(customers.size());
  for (std::size_t i = 0; i < customers.size(); ++i) {
    auto row = check_rfm_tuple(customers[i], i + 1);
    if (!row) return std::move(row).error();
    auto count = check_customer_count(customers[i].count);
    if (!count) return std::move(count).error();
    counts[i] = *count;
  }
  const distinct_rows distinct = distinct_rows_of(customers);
  std::vector<bootstrap_replicate> replicates(static_cast<std::size_t>(settings.replicates));
  run_indexed(replicates.size(), settings.threads, [&](std::size_t k) {
    replicates[k] =
        refit_one(customers, monetary_value, distinct, counts, models, settings.seed, k);
  });
  return replicates;
}

interval_bounds percentile_bounds(std::span<double> values, double level) {
  std::sort(values.begin(), values.end());
  return {quantile_of_sorted(values, (1 - level) / 2), quantile_of_sorted(values, (1 + level) / 2)};
}

result<clv_bootstrap> bootstrap_clv(std::span<const rfm_tuple> customers,
                                    std::span<const double> monetary_value,
                                    std::span<const bootstrap_replicate> replicates,
                                    const std::optional<purchase_spend>& fixed_spend,
                                    const clv_options& options,
                                    const bootstrap_settings& settings) {
  auto fitted = fitted_replicates(replicates, settings);
  if (!fitted) return std::move(fitted).error();
  // Each fitted replicate's valuer and spend.
  std::vector<clv_valuer> valuers;
  std::vector<purchase_spend> spends;
  for (const std::size_t k : fitted->indices) {
    const bootstrap_replicate& r = replicates[k];
    auto valuer = clv_valuer::make(*r.purchase, options);
    if (!valuer) return std::move(valuer).error();
    auto spend = r.spend       ? purchase_spend::from_gamma_gamma(*r.spend)
                 : fixed_spend ? result<purchase_spend>(*fixed_spend)
                               : result<purchase_spend>(error{
                                     "spend", "the bootstrap needs a spend: refitted or fixed"});
    if (!spend) return std::move(spend).error();
    valuers.push_back(*std::move(valuer));
    spends.push_back(*spend);
  }
  const bool reads_spend = monetary_value.size() == customers.size();
  // Quantities: expected purchases, P(alive), spend, CLV; totals of the first and last.
  constexpr std::size_t purchases = 0, clv = 3;
  auto table = percentile_table(
      customers, fitted->indices.size(), 4, {purchases, clv}, settings,
      [&](std::size_t r, std::size_t i, double* out) -> std::optional<error> {
        const rfm_tuple& customer = customers[i];
        auto per_purchase = spends[r].of_customer(customer.x, reads_spend ? monetary_value[i] : 0);
        if (!per_purchase) return std::move(per_purchase).error();
        auto v = valuers[r].value(customer, *per_purchase);
        if (!v) return std::move(v).error();
        out[0] = v->expected_purchases;
        out[1] = v->probability_alive;
        out[2] = v->expected_spend;
        out[3] = v->clv;
        return std::nullopt;
      });
  if (!table) return std::move(table).error();
  clv_bootstrap out;
  out.replicates = static_cast<int>(replicates.size());
  out.used = static_cast<int>(fitted->indices.size());
  out.first_failure = fitted->first_failure;
  out.customers.resize(customers.size());
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const interval_bounds* b = &table->bounds[i * 4];
    out.customers[i] = {b[0], b[1], b[2], b[3]};
  }
  out.total_expected_purchases = table->totals[0];
  out.total_clv = table->totals[1];
  return out;
}

result<prediction_bootstrap> bootstrap_predictions(std::span<const rfm_tuple> customers,
                                                   std::span<const double> monetary_value,
                                                   std::span<const bootstrap_replicate> replicates,
                                                   std::span<const double> horizons,
                                                   const bootstrap_settings& settings) {
  if (horizons.empty()) return error{"horizon", "the bootstrap needs a horizon"};
  auto fitted = fitted_replicates(replicates, settings);
  if (!fitted) return std::move(fitted).error();
  const bool spend = replicates[fitted->indices[0]].spend.has_value();
  if (spend && monetary_value.size() != customers.size())
    return error{"monetary_value", "one monetary value per customer is needed for the spend"};
  // Quantities: P(alive), E[Y(h)] for each horizon, then the spend when refitted.
  const std::size_t n_horizons = horizons.size();
  const std::size_t quantities = 1 + n_horizons + (spend ? 1 : 0);
  auto table = percentile_table(
      customers, fitted->indices.size(), quantities, {n_horizons}, settings,
      [&](std::size_t r, std::size_t i, double* out) -> std::optional<error> {
        const bootstrap_replicate& replicate = replicates[fitted->indices[r]];
        const rfm_tuple& customer = customers[i];
        auto alive = probability_alive(*replicate.purchase, customer);
        if (!alive) return std::move(alive).error();
        out[0] = *alive;
        for (std::size_t h = 0; h < n_horizons; ++h) {
          auto e = conditional_expected_purchases(*replicate.purchase, customer, horizons[h]);
          if (!e) return std::move(e).error();
          out[1 + h] = *e;
        }
        if (spend) {
          auto m = gamma_gamma_conditional_expected_spend(*replicate.spend, customer.x,
                                                          monetary_value[i]);
          if (!m) return std::move(m).error();
          out[1 + n_horizons] = *m;
        }
        return std::nullopt;
      });
  if (!table) return std::move(table).error();
  prediction_bootstrap out;
  out.replicates = static_cast<int>(replicates.size());
  out.used = static_cast<int>(fitted->indices.size());
  out.first_failure = fitted->first_failure;
  out.customers.resize(customers.size());
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const interval_bounds* b = &table->bounds[i * quantities];
    customer_prediction_intervals& c = out.customers[i];
    c.probability_alive = b[0];
    c.expected_purchases.assign(b + 1, b + 1 + n_horizons);
    if (spend) c.expected_spend = b[1 + n_horizons];
  }
  out.total_expected_purchases = table->totals[0];
  return out;
}

}  // namespace cltv::models
