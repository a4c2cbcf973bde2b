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

constexpr std::size_t quantities = 4;  // expected purchases, P(alive), spend, CLV
constexpr std::size_t block_customers = 1024;

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
  auto checked = check_bootstrap_settings(settings);
  if (!checked) return std::move(checked).error();
  clv_bootstrap out;
  out.replicates = static_cast<int>(replicates.size());
  // The fitted replicates, each with its valuer and spend.
  std::vector<clv_valuer> valuers;
  std::vector<purchase_spend> spends;
  for (std::size_t k = 0; k < replicates.size(); ++k) {
    const bootstrap_replicate& r = replicates[k];
    if (!r.purchase) {
      if (out.first_failure.empty())
        out.first_failure = "replicate " + std::to_string(k + 1) + ": " + r.failure;
      continue;
    }
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
  out.used = static_cast<int>(valuers.size());
  if (out.used < 2)
    return error{"bootstrap", "only " + std::to_string(out.used) + " of " +
                                  std::to_string(out.replicates) +
                                  " bootstrap replicates could be fitted" +
                                  (out.first_failure.empty() ? "" : "; " + out.first_failure)};
  const std::size_t used = valuers.size();
  const bool reads_spend = monetary_value.size() == customers.size();
  out.customers.resize(customers.size());
  std::vector<double> total_purchases(used, 0.0);
  std::vector<double> total_clv(used, 0.0);
  std::vector<std::optional<error>> failures(used);
  // values[(c · used + r) · quantities + q]: block customer c, replicate r.
  std::vector<double> values;
  for (std::size_t first = 0; first < customers.size(); first += block_customers) {
    const std::size_t n = std::min(block_customers, customers.size() - first);
    values.assign(n * used * quantities, 0.0);
    run_indexed(used, settings.threads, [&](std::size_t r) {
      if (failures[r]) return;
      for (std::size_t c = 0; c < n; ++c) {
        const std::size_t i = first + c;
        const rfm_tuple& customer = customers[i];
        auto per_purchase = spends[r].of_customer(customer.x, reads_spend ? monetary_value[i] : 0);
        if (!per_purchase) {
          failures[r] = std::move(per_purchase).error();
          return;
        }
        auto v = valuers[r].value(customer, *per_purchase);
        if (!v) {
          failures[r] = std::move(v).error();
          return;
        }
        double* slot = &values[(c * used + r) * quantities];
        slot[0] = v->expected_purchases;
        slot[1] = v->probability_alive;
        slot[2] = v->expected_spend;
        slot[3] = v->clv;
        total_purchases[r] += v->expected_purchases * customer.count;
        total_clv[r] += v->clv * customer.count;
      }
    });
    for (const std::optional<error>& e : failures)
      if (e) return *e;
    run_indexed(n, settings.threads, [&](std::size_t c) {
      std::vector<double> column(used);
      interval_bounds* bounds[quantities] = {
          &out.customers[first + c].expected_purchases, &out.customers[first + c].probability_alive,
          &out.customers[first + c].expected_spend, &out.customers[first + c].clv};
      for (std::size_t q = 0; q < quantities; ++q) {
        for (std::size_t r = 0; r < used; ++r) column[r] = values[(c * used + r) * quantities + q];
        *bounds[q] = percentile_bounds(column, settings.confidence);
      }
    });
  }
  out.total_expected_purchases = percentile_bounds(total_purchases, settings.confidence);
  out.total_clv = percentile_bounds(total_clv, settings.confidence);
  return out;
}

}  // namespace cltv::models
