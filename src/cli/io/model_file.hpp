#pragma once
// Fitted models as the model commands pass them on: the JSON file `cltv fit`
// writes and predict, clv and `--sbg-model` (calc, check, solve, grid) read back (one codec), and
// the parameters as outputs write them (named as models::names_of says).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/covariates.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/model_kind.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/sbg.hpp"
#include "cltv/time_unit.hpp"

namespace cltv::cli {

using models::model_kind;
using models::model_parameters;
using models::names_of;

/// The parameters as JSON members, without braces: `"r":0.24,"alpha":4.4,…`.
void append_parameter_members(std::string& out, const model_parameters& p);

/// The parameters for people, 4 significant digits: "r 0.2426, alpha 4.414, a 0.7929, b 2.426".
[[nodiscard]] std::string parameters_text(const model_parameters& p);

/// The model as a line of a table: "  BG/NBD       r 0.2426, alpha 4.414, …".
[[nodiscard]] std::string model_line(const model_parameters& p);

/// The model as a member of a JSON object: "\"bgnbd\":{\"r\":0.2426,…}".
void append_model(std::string& out, const model_parameters& p);

/// What a fit with covariates adds to its model file ("covariates").
struct covariate_record {
  models::covariate_effects effects;
  std::vector<models::coefficient_estimate> estimates;  ///< one per term
  models::covariate_penalty penalty;
  models::likelihood_ratio_test against_no_covariates;
  std::optional<models::likelihood_ratio_test> against_unconstrained;  ///< with constraints
  std::string constraint_test_missing;  ///< why there is no against_unconstrained
  /// Over the parameters then the coefficients, row-major (fit_report's
  /// covariance and log_hessian of the whole fit).
  std::vector<double> covariance;
  std::vector<double> log_hessian;
  std::size_t value_rows = 0;  ///< distinct rows of values among the customers
};

/// A fitted model as `cltv fit` writes it.
struct model_file {
  model_kind kind = model_kind::bgnbd;
  /// The unit of the fitted summary's times, in days; nullopt: unknown (sbg,
  /// or a summary that does not say).
  std::optional<double> time_unit_days{};
  /// In the order of names_of(kind).parameters.
  std::vector<models::parameter_estimate> estimates{};
  models::fit_report report{};
  /// The model's own fields, after those every model has ("dropped",
  /// "mean_spend"); null when nullopt or not finite.
  std::vector<std::pair<std::string_view, std::optional<double>>> facts{};
  /// sbg: the active counts it was fitted on, one curve per cohort (counts[t]
  /// at the start of period t), written as "counts" for the survival chart.
  std::vector<std::vector<double>> counts{};
  /// A purchase model fitted with covariates: its coefficients (the
  /// parameters are then the baseline, a customer whose values are all 0).
  std::optional<covariate_record> covariates{};
  std::uint64_t skipped_rows = 0;
  std::string input_path{};                   ///< as given ("-": stdin)
  std::optional<std::uint64_t> input_xxh3{};  ///< input_checksum(input_path)
};

/// Appends `f` as one line of JSON: what read_model_file reads back.
void write_model_file(const model_file& f, std::string& out);

/// XXH3 (64 bits) of the file's bytes as stored (a .gz file is hashed
/// compressed), which a model file records of its input; nullopt for stdin or
/// when it cannot be read.
[[nodiscard]] std::optional<std::uint64_t> input_checksum(const std::string& path);
/// The same of an input read from memory (a database's result: --from).
[[nodiscard]] std::uint64_t text_checksum(std::string_view text) noexcept;

/// A fitted model as a report shows it: the estimates with their standard
/// errors (NaN where unknown), the log-likelihood and where it came from.
struct model_account {
  model_parameters parameters;
  std::vector<double> standard_errors;  ///< in the order of the parameters
  std::optional<double> log_likelihood;
  std::string source;  ///< "bgnbd.json", "fitted to 2,357 customers"
  /// The estimates' covariance, row-major n×n on the natural scale (NaN where
  /// the file says null); empty when the fit or file has none.
  std::vector<double> covariance{};
};

/// The models of one or more `cltv fit` files (at most one of each kind).
struct fitted_models {
  std::optional<models::purchase_model> purchase;  // BG/NBD, MBG/NBD or Pareto/NBD
  /// The purchase model's covariate effects, when it was fitted with them
  /// (purchase is then the baseline), and who states them ("the model m.json").
  std::optional<models::covariate_effects> covariates;
  std::string covariates_source;
  /// Whether the reader takes a model fitted with covariates (set before
  /// reading): a command that predicts with one model for everyone must not
  /// silently use the baseline, so read_model_file refuses it otherwise.
  bool accepts_covariates = false;
  std::optional<models::gamma_gamma_params> gamma_gamma;
  std::optional<models::sbg_params> sbg;
  /// The sBG file's "counts" (one curve per cohort), when it records them.
  std::vector<std::vector<double>> sbg_counts;
  /// The time units the files state ("time_unit_days"), each with who states
  /// it ("the model bgnbd.json is in"); a file without one states none.
  std::vector<time_unit_statement> units;
  /// Each model read, as the file states its fit (purchase and gamma-gamma).
  std::vector<model_account> accounts;
};

/// The whole of a small JSON input (a file, or stdin for "-"); the error
/// names it as "`what` file PATH".
[[nodiscard]] result<std::string> read_whole_input(const std::string& path, std::string_view what);

/// Reads the model in `path` (JSON with "model" and "parameters", as `cltv
/// fit` writes) into `into`. Fails, naming the file, on unreadable or invalid
/// JSON, an unknown model, a missing or non-positive parameter, a
/// "time_unit_days" that is not a positive number, or a second model of a
/// kind already read.
[[nodiscard]] std::optional<error> read_model_file(const std::string& path, fitted_models& into);

/// read_model_file() of each of `paths`, for a command that also reads a
/// summary from `summary_path`: refuses stdin for both.
[[nodiscard]] std::optional<error> read_model_files(const std::vector<std::string>& paths,
                                                    const std::string& summary_path,
                                                    fitted_models& into);

/// What to add to the error of a Gamma-Gamma fit the data cannot identify
/// (field "spend"): where `cltv clv` values spend without it; empty for any
/// other error.
[[nodiscard]] std::string spend_fit_hint(const error& e);

/// The warning for a Gamma-Gamma fit whose frequency and spend are correlated
/// (models::spend_correlated_with_frequency); empty when they are not.
[[nodiscard]] std::string correlation_note(const models::gamma_gamma_fit& fit);

}  // namespace cltv::cli
