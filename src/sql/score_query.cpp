#include "sql/score_query.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <variant>
#include <vector>

#include "cltv/models/model_kind.hpp"
#include "cltv/number.hpp"

namespace cltv::sql {

namespace {

class score_writer {
 public:
  explicit score_writer(const score_query_options& o) : engine_(o.summary.engine) {}

  [[nodiscard]] std::string number(double x) const { return double_literal(engine_, x); }

  // ln(P(dead) / P(alive)) of BG/NBD or MBG/NBD, as the library computes it:
  // ln a − ln(b + x − 1 + shift) + (r + x) ln((α + T) / (α + t_x)).
  [[nodiscard]] std::string dead_odds(const models::bgnbd_params& p, const std::string& x,
                                      const std::string& t_x, const std::string& T) const {
    const double shift = p.variant == models::bgnbd_variant::mbgnbd ? 1 : 0;
    return fmt::format("ln({}) - ln({} + {}) + ({} + {}) * ln(({} + {}) / ({} + {}))", number(p.a),
                       number(p.b - 1 + shift), x, number(p.r), x, number(p.alpha), T,
                       number(p.alpha), t_x);
  }

 private:
  dialect engine_;
};

// Why the SQL cannot compute P(alive) of a purchase model other than
// (M)BG/NBD, whose odds have a closed form.
std::string why_no_sql_p_alive(models::model_kind kind) {
  if (kind == models::model_kind::pareto_nbd) return "Pareto/NBD's P(alive) has no closed form";
  if (kind == models::model_kind::bgbb)
    return "BG/BB's P(alive) is a sum over the opportunities that SQL engines cannot all write "
           "(no log-gamma in SQLite)";
  return std::string(models::names_of(kind).label) + "'s P(alive) is an integral";
}

std::optional<error> check_options(const score_query_options& o) {
  if (!o.purchase && !o.gamma_gamma)
    return error{"model", "score needs a purchase model (" +
                              models::listed_names(models::is_purchase_model) + ") or gamma-gamma"};
  const bool closed_form =
      o.purchase && std::holds_alternative<models::bgnbd_params>(o.purchase->params());
  if (o.purchase && !closed_form && o.predictions_table.empty())
    return error{"predictions", why_no_sql_p_alive(o.purchase->kind()) +
                                    ": run `cltv predict` on the tuples, load its output as a "
                                    "table and name it with --predictions"};
  if (!o.predictions_table.empty() && !o.purchase)
    return error{"predictions", "--predictions joins a purchase model's predictions: give one"};
  if (o.gamma_gamma && !o.summary.with_amount)
    return error{"no_amount", "expected spend needs the amounts: leave out --no-amount"};
  if (o.clv && (!o.purchase || !o.gamma_gamma || o.predictions_table.empty()))
    return error{"clv",
                 "clv needs a purchase model, a gamma-gamma model and --predictions (from "
                 "`cltv predict --months N` on the tuples)"};
  if (!(o.gross_margin > 0 && o.gross_margin <= 1))
    return error{"gross_margin",
                 "gross_margin must be in (0, 1], got " + format_shortest(o.gross_margin)};
  return std::nullopt;
}

}  // namespace

result<std::string> score_query(const score_query_options& o) {
  if (auto e = check_options(o)) return *e;
  auto with = summary_with_clause(o.summary);
  if (!with) return with;
  std::string predictions;
  if (!o.predictions_table.empty()) {
    auto table = quote_table_name(o.summary.engine, o.predictions_table);
    if (!table) return error{"predictions", "predictions: " + table.error().message};
    predictions = *table;
  }
  const score_writer w(o);
  const summary_column_names n = summary_columns(o.summary);
  const std::string x = "s." + n.frequency, t_x = "s." + n.recency, T = "s." + n.T,
                    m = "s." + n.monetary_value;

  std::vector<std::string> columns{"s.customer_id", x, t_x, T};
  if (o.gamma_gamma) columns.push_back(m);
  std::string odds;  // the subquery's extra column, for P(alive)
  if (o.purchase) {
    if (const auto* bg = std::get_if<models::bgnbd_params>(&o.purchase->params())) {
      const bool bgnbd = bg->variant == models::bgnbd_variant::bgnbd;
      // BG/NBD: alive for sure without repeat purchases (and ln(b − 1) may
      // not exist there).
      // The odds are a column of a subquery over cltv_summary (used thrice).
      const std::string in_x = "cltv_summary." + n.frequency;
      const std::string in_odds =
          w.dead_odds(*bg, in_x, "cltv_summary." + n.recency, "cltv_summary." + n.T);
      odds = bgnbd ? fmt::format("CASE WHEN {} > 0 THEN {} END", in_x, in_odds) : in_odds;
      // 1 / (1 + e^d) without overflow; e^−d below the smallest double is 0.
      columns.push_back(fmt::format(
          "CASE {}WHEN s.cltv_dead_odds > 745 THEN {} "
          "WHEN s.cltv_dead_odds > 0 THEN exp(-s.cltv_dead_odds) / (1 + exp(-s.cltv_dead_odds)) "
          "ELSE 1 / (1 + exp(s.cltv_dead_odds)) END AS p_alive",
          bgnbd ? fmt::format("WHEN {} = 0 THEN {} ", x, w.number(1)) : "", w.number(0)));
    } else {
      columns.emplace_back("p.p_alive");
    }
    if (!predictions.empty()) columns.emplace_back("p.expected_purchases");
    if (o.clv) columns.emplace_back("p.discounted_purchases");
  }
  if (o.gamma_gamma) {
    const models::gamma_gamma_params& g = *o.gamma_gamma;
    auto mean = models::predictable_mean_spend(g);
    if (!mean) return std::move(mean).error();
    // E[M | x, m̄] where the customer has repeat spend of her own, else the
    // population mean (cltv clv's rule).
    const std::string spend = fmt::format(
        "CASE WHEN {0} > 0 AND {1} > 0 THEN {2} * ({3} + {0} * {1}) / ({2} * {0} + {4} - 1) "
        "ELSE {5} END",
        x, m, w.number(g.p), w.number(g.gamma), w.number(g.q), w.number(*mean));
    columns.push_back(spend + " AS expected_spend");
    if (o.clv)
      columns.push_back(fmt::format("p.discounted_purchases * ({}) * {} AS clv", spend,
                                    w.number(o.gross_margin)));
  }
  std::string from = odds.empty() ? "cltv_summary s"
                                  : fmt::format(
                                        "(SELECT cltv_summary.*, {} AS cltv_dead_odds FROM "
                                        "cltv_summary) s",
                                        odds);
  if (!predictions.empty())
    from += fmt::format(
        "\nLEFT JOIN {0} p ON p.frequency = {1} AND round(p.recency * {2}) = s.recency_periods "
        "AND round(p.{3} * {2}) = s.t_periods",
        predictions, x, periods_per_time_unit(o.summary),
        *quote_identifier(o.summary.engine, "column", "T"));
  return fmt::format(
      "-- cltv sql score ({}): per customer, the predictions of `cltv predict` and `cltv clv`\n"
      "-- on the summary `cltv summarize` computes from the same rows\n"
      "{}SELECT {}\nFROM {}\nORDER BY s.customer_id;\n",
      rules(o.summary.engine).name, *with, fmt::join(columns, ",\n  "), from);
}

}  // namespace cltv::sql
