#pragma once
// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005,
// "RFM and CLV: using iso-value curves for customer base analysis", JMR 42(4);
// Fader & Hardie 2013, note 025, "The Gamma-Gamma model of monetary value"):
// a customer's transaction values are Gamma(p, ν) around their own mean p/ν,
// and ν varies across customers as Gamma(q, γ). A customer's mean spend is
// then pulled from their observed average m̄ towards the population mean, the
// more so the fewer transactions x the average rests on.
//
// The model assumes spend per transaction is independent of how often a
// customer buys; frequency_spend_correlation() is the usual check, and
// spend_correlation_limit the rule of thumb it is held against.

#include <cstdint>
#include <optional>
#include <span>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"

namespace cltv::models {

/// p: shape of a customer's transaction values; q, γ: shape and rate of the
/// Gamma distribution of their scale ν. All three positive.
struct gamma_gamma_params {
  double p = 1;
  double q = 1;
  double gamma = 1;
};

/// Checks that p, q and γ are positive finite numbers, naming the offending one.
[[nodiscard]] result<gamma_gamma_params> make_gamma_gamma_params(double p, double q, double gamma);

/// One customer (count 1), or `count` customers with the same frequency and
/// mean spend (a pre-aggregated summary row): the input of fit_gamma_gamma.
struct spend_row {
  double frequency = 0;       ///< x: repeat transactions (a whole number ≥ 0)
  double monetary_value = 0;  ///< m̄: their mean value; not read when x = 0
  double count = 1;           ///< customers the row stands for (a positive number)
};

struct gamma_gamma_options {
  /// Customers with repeat purchases (frequency > 0) but a monetary value
  /// ≤ 0 (refunds, free orders) are an input error unless this is set; then
  /// they are left out of the fit and counted in gamma_gamma_fit::dropped.
  bool drop_nonpositive_spend = false;
  /// fit_penalty (lifetimes' penalizer_coef) on p, q and γ; 0: none.
  fit_penalty penalty{};
};

struct gamma_gamma_fit {
  gamma_gamma_params params;  ///< the estimates' values, ready for the predictions below
  parameter_estimate p;
  parameter_estimate q;
  parameter_estimate gamma;
  fit_report report;                  ///< customers: fitted; unique_tuples: distinct (x, m̄) pairs
  std::uint64_t without_repeats = 0;  ///< customers with frequency 0, not part of the model
  std::uint64_t dropped = 0;          ///< customers left out by drop_nonpositive_spend
  /// Pearson correlation of frequency and monetary value over the fitted
  /// customers (see frequency_spend_correlation).
  std::optional<double> frequency_spend_correlation;
};

/// Checks one row as fit_gamma_gamma does: a frequency that is a whole number
/// ≥ 0, a positive finite count and, when x > 0, a finite monetary value that
/// is positive (or, with options.drop_nonpositive_spend, any finite value: the
/// fit leaves the row out and counts it). The monetary value of a row with
/// x = 0 is not read. The error's field is "frequency", "monetary_value" or
/// "count"; `row_number` (counting from 1) is quoted in its message when
/// non-zero ("monetary_value of row 3 must be positive …").
[[nodiscard]] result<spend_row> check_spend_row(const spend_row& row, std::size_t row_number = 0,
                                                const gamma_gamma_options& options = {});

/// Fits p, q and γ by maximum likelihood on the customers with repeat
/// purchases: customer i has frequency[i] = x repeat transactions whose mean
/// value is monetary_value[i] = m̄ (the frequency and monetary_value of an RFM
/// summary, cltv/rfm.hpp). Customers with x = 0 are skipped (their monetary
/// value is not read). Per customer (note 025, with z̄ = m̄):
///   ln f(m̄ | x) = lnΓ(px + q) − lnΓ(px) − lnΓ(q) + q ln γ + (px − 1) ln m̄
///                 + px ln x − (px + q) ln(γ + m̄x).
/// Fails, naming the row (numbered from 1 as check_rfm_tuple numbers them:
/// element i is row i + 1), on spans of different lengths, a frequency that
/// is not a whole number ≥ 0, a non-finite monetary value, or m̄ ≤ 0 with
/// x > 0 (unless options.drop_nonpositive_spend). Fails when fewer than two
/// customers remain and when the optimiser does not converge. Spends too
/// uniform for the model fail with field "spend", saying what the data lack:
/// every repeat customer's m̄ the same (no variation at all), or a search
/// heading to p > 10⁴ (purchases of one customer alike: no variation within
/// customers) or q > 10⁴ (customers' means differ no more than single
/// purchases do: none between them). A shape of 10⁴ is a coefficient of
/// variation of 1 %. The estimates there are not identified.
///
/// Example:
///   auto fit = cltv::models::fit_gamma_gamma(frequency, monetary_value);
///   // CDNOW (946 repeat customers): p ≈ 6.25, q ≈ 3.74, γ ≈ 15.45
[[nodiscard]] result<gamma_gamma_fit> fit_gamma_gamma(std::span<const double> frequency,
                                                      std::span<const double> monetary_value,
                                                      const gamma_gamma_options& options = {});

/// fit_gamma_gamma() on weighted rows: a row with count c counts as c
/// customers with its (x, m̄) in the likelihood, its gradient, the standard
/// errors, n (report.customers), without_repeats, dropped and the
/// correlation, so that grouped rows fit as the same rows written out one
/// customer a line. Rows are checked by check_spend_row (numbered from 1).
///
/// Example:
///   std::vector<cltv::models::spend_row> rows{{2, 20.5, 30}, {1, 12, 45}, {0, 0, 120}};
///   auto fit = cltv::models::fit_gamma_gamma(rows);  // 75 customers fitted
[[nodiscard]] result<gamma_gamma_fit> fit_gamma_gamma(std::span<const spend_row> rows,
                                                      const gamma_gamma_options& options = {});

/// The log-likelihood of the data (as in fit_gamma_gamma, same checks and
/// options) at `params`. When `gradient` is not empty (it must then hold 3
/// elements) it receives ∂LL/∂p, ∂LL/∂q and ∂LL/∂γ.
[[nodiscard]] result<double> gamma_gamma_log_likelihood(const gamma_gamma_params& params,
                                                        std::span<const double> frequency,
                                                        std::span<const double> monetary_value,
                                                        std::span<double> gradient = {},
                                                        const gamma_gamma_options& options = {});

/// The same for weighted rows (as the fit on them uses it).
[[nodiscard]] result<double> gamma_gamma_log_likelihood(const gamma_gamma_params& params,
                                                        std::span<const spend_row> rows,
                                                        std::span<double> gradient = {},
                                                        const gamma_gamma_options& options = {});

/// The population mean spend per transaction, E[M] = pγ / (q − 1). Fails when
/// q ≤ 1 (the mean is infinite) or on invalid params.
[[nodiscard]] result<double> gamma_gamma_mean_spend(const gamma_gamma_params& params);

/// gamma_gamma_mean_spend() of a model that is to predict spend: a model with
/// q ≤ 1 cannot, and the error says so ("the gamma-gamma model has q = 0.9
/// <= 1: its mean spend is infinite, so spend cannot be predicted").
[[nodiscard]] result<double> predictable_mean_spend(const gamma_gamma_params& params);

/// The expected spend per transaction of a customer whose x repeat
/// transactions averaged m̄ (note 025; Fader, Hardie & Lee 2005):
///   E[M | x, m̄] = p(γ + x m̄) / (px + q − 1)
///               = (q − 1)/(px + q − 1) · pγ/(q − 1) + px/(px + q − 1) · m̄,
/// a weighted mean of the population mean and m̄; the population mean when
/// x = 0 (m̄ is then not read). Fails when q ≤ 1, on invalid params, on a
/// frequency that is not a whole number ≥ 0, or (when x > 0) on a negative or
/// non-finite m̄.
///
/// Example: CDNOW fit, x = 2, m̄ = 22.35 → 24.65.
[[nodiscard]] result<double> gamma_gamma_conditional_expected_spend(
    const gamma_gamma_params& params, double frequency, double monetary_value);

/// Pearson correlation of frequency and monetary value over the rows with
/// frequency > 0 and monetary value > 0 (the customers the model is fitted
/// on). The model assumes them independent; a strong correlation (beyond
/// spend_correlation_limit) makes its spend predictions questionable.
/// nullopt when fewer than two such rows, or either column is constant over
/// them. Rows with an invalid frequency or a non-finite monetary value are
/// skipped (fit_gamma_gamma reports them).
[[nodiscard]] std::optional<double> frequency_spend_correlation(
    std::span<const double> frequency, std::span<const double> monetary_value);

/// The same over weighted rows: a row with count c counts c times (rows with
/// an invalid count are skipped too).
[[nodiscard]] std::optional<double> frequency_spend_correlation(std::span<const spend_row> rows);

/// The absolute correlation of frequency and monetary value beyond which the
/// model's independence assumption is in doubt: a rule of thumb (a
/// correlation of 0.3 is where a "weak" one is usually said to end), the
/// line the CLI warns at.
inline constexpr double spend_correlation_limit = 0.3;

/// Whether the fit's frequency–spend correlation is beyond
/// spend_correlation_limit (false when there is none).
[[nodiscard]] bool spend_correlated_with_frequency(const gamma_gamma_fit& fit) noexcept;

}  // namespace cltv::models
