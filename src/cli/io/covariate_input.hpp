#pragma once
// Customer attributes as covariates (models/covariates.hpp): the options that
// name them, and the CSV that holds them, one row per customer, joined on the
// customer id with the summary being fitted or predicted. The join is exact:
// a customer of the summary without a row, a row whose customer is not in the
// summary, and an id given twice are errors naming the id.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/covariates.hpp"
#include "io/model_file.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

struct covariate_options {
  std::string path;                          // --covariates FILE; empty: none
  std::string id_col;                        // --covariate-id-col; empty: see read_covariates
  std::vector<std::string> in_each_process;  // --covariate-cols: a coefficient in each process
  std::vector<std::string> purchase;         // --trans-covariates
  std::vector<std::string> dropout;          // --life-covariates
  std::vector<std::string> equal;            // --equal-covariates
  std::string reg_trans;                     // --reg-trans λ; empty: 0
  std::string reg_life;                      // --reg-life λ
  std::vector<const CLI::Option*> fit_only;  // the lists and λs: what only `fit` takes

  [[nodiscard]] bool given() const noexcept { return !path.empty(); }
};

/// Declares --covariates and --covariate-id-col and, when `fitting`, the
/// lists (--covariate-cols, --trans-covariates, --life-covariates,
/// --equal-covariates) and --reg-trans/--reg-life, in a group "Covariates".
void add_covariate_options(CLI::App& app, covariate_options& options, bool fitting);

/// The terms the lists name: --covariate-cols in both processes, plus
/// --trans-covariates and --life-covariates, with --equal-covariates one
/// coefficient for both (models::covariate_terms). Fails when no list is
/// given with --covariates, or a list without --covariates.
[[nodiscard]] result<std::vector<models::covariate_term>> covariate_terms_of(
    const covariate_options& options);

/// --reg-trans and --reg-life (0 where not given).
[[nodiscard]] result<models::covariate_penalty> covariate_penalty_of(
    const covariate_options& options);

/// The covariates read for the customers of a summary.
struct covariate_values {
  std::vector<double> values;  ///< row-major in the summary's order, one row per customer
  /// For stderr, empty when nothing to say: which column the ids were taken
  /// from when it is the file's first column (no column matched), and how
  /// many rows named customers the summary skipped or left out.
  std::vector<std::string> notes;
};

/// The values of `columns` for each customer of `customers`, from the CSV
/// `options.path` ("-": stdin, not when the summary came from stdin too). The
/// id column is --covariate-id-col, else the summary's own id column name when
/// the file has it, else the file's first column (said in a note). Fails,
/// naming the file, the line and the column or id: a missing or repeated
/// column, the id column among the covariates, a value that is not a finite
/// number, an id twice, an id the summary does not have (unless the summary
/// skipped bad rows or left customers out: then such rows are counted in a
/// note), and (after the file) a customer without a row. A summary without
/// ids (rows numbered) cannot be joined.
[[nodiscard]] result<covariate_values> read_covariates(const covariate_options& options,
                                                       const std::vector<std::string>& columns,
                                                       const summary_data& customers);

/// Each customer's own purchase model, in the summary's order, when the
/// model was fitted with covariates: read_covariates() for the model's
/// columns, then models::customer_model(). Empty when the model has none
/// (every customer shares it; a summary is never empty). Fails when the model
/// has covariates and --covariates is not given (naming the columns it
/// needs), when --covariates is given for a model without them, and as the
/// reading does. (Not result<optional<vector>>: cppcheck 2.10 crashes on it.)
[[nodiscard]] result<std::vector<models::purchase_model>> customer_models_of(
    const fitted_models& fitted, const covariate_options& options, const summary_data& customers);

}  // namespace cltv::cli
