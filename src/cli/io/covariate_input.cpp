#include "io/covariate_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "cltv/number.hpp"
#include "io/log_input.hpp"
#include "io/messages.hpp"
#include "io/table_reader.hpp"

namespace cltv::cli {

void add_covariate_options(CLI::App& app, covariate_options& options, bool fitting) {
  const char* group = "Covariates";
  app.add_option("--covariates", options.path,
                 "CSV of customer attributes, one row per customer, joined on the customer id "
                 "(\"-\": stdin)")
      ->option_text("FILE")
      ->group(group);
  app.add_option("--covariate-id-col", options.id_col,
                 "The covariates' id column (default: the summary's id column name when the file "
                 "has it, else its first column)")
      ->option_text("NAME")
      ->group(group);
  if (!fitting) return;
  options.fit_only.push_back(
      app.add_option("--covariate-cols", options.in_each_process,
                     "Covariates of both processes, comma-separated (Gender,Channel)")
          ->delimiter(',')
          ->option_text("NAMES")
          ->group(group));
  options.fit_only.push_back(
      app.add_option("--trans-covariates", options.purchase,
                     "Covariates of the purchase process only (CLVTools' trans)")
          ->delimiter(',')
          ->option_text("NAMES")
          ->group(group));
  options.fit_only.push_back(
      app.add_option("--life-covariates", options.dropout,
                     "Covariates of the dropout process only (CLVTools' life)")
          ->delimiter(',')
          ->option_text("NAMES")
          ->group(group));
  options.fit_only.push_back(
      app.add_option("--equal-covariates", options.equal,
                     "Covariates of both processes constrained to one coefficient")
          ->delimiter(',')
          ->option_text("NAMES")
          ->group(group));
  options.fit_only.push_back(
      app.add_option("--reg-trans", options.reg_trans,
                     "L2 regularisation lambda of the purchase coefficients (CLVTools' "
                     "reg.lambdas trans)")
          ->option_text("LAMBDA")
          ->group(group));
  options.fit_only.push_back(app.add_option("--reg-life", options.reg_life,
                                            "L2 regularisation lambda of the dropout coefficients")
                                 ->option_text("LAMBDA")
                                 ->group(group));
}

result<std::vector<models::covariate_term>> covariate_terms_of(const covariate_options& options) {
  const bool lists = !options.in_each_process.empty() || !options.purchase.empty() ||
                     !options.dropout.empty() || !options.equal.empty();
  if (!options.given()) {
    if (lists || !options.reg_trans.empty() || !options.reg_life.empty() || !options.id_col.empty())
      return error{"covariates",
                   "the covariate options need --covariates FILE, the file that "
                   "holds them"};
    return std::vector<models::covariate_term>{};
  }
  if (options.in_each_process.empty() && options.purchase.empty() && options.dropout.empty())
    return error{"covariates",
                 "--covariates needs the columns to use: --covariate-cols (both processes), "
                 "--trans-covariates or --life-covariates"};
  // --covariate-cols is shorthand for listing a covariate in both processes.
  std::vector<std::string> purchase = options.in_each_process, dropout = options.in_each_process;
  purchase.insert(purchase.end(), options.purchase.begin(), options.purchase.end());
  dropout.insert(dropout.end(), options.dropout.begin(), options.dropout.end());
  return models::covariate_terms(purchase, dropout, options.equal);
}

result<models::covariate_penalty> covariate_penalty_of(const covariate_options& options) {
  const auto lambda = [](const char* field, const std::string& text) -> result<double> {
    if (text.empty()) return 0.0;
    auto v = parse_number(field, text, number_style::plain);
    if (!v) return std::move(v).error();
    return models::check_regularisation(field, *v);
  };
  auto purchase = lambda("reg-trans", options.reg_trans);
  if (!purchase) return std::move(purchase).error();
  auto dropout = lambda("reg-life", options.reg_life);
  if (!dropout) return std::move(dropout).error();
  return models::covariate_penalty{*purchase, *dropout};
}

result<covariate_values> read_covariates(const covariate_options& options,
                                         const std::vector<std::string>& columns,
                                         const summary_data& customers) {
  const std::string name = display_name(options.path);
  if (options.path == "-" && customers.name == "stdin")
    return error{"covariates", "the summary and the covariates cannot both come from stdin"};
  if (customers.id_name == "row")
    return error{"covariates", fmt::format("{} has no customer id column (customer_id, ID or id) "
                                           "to join {} on",
                                           the_summary(customers.name), name)};
  std::unordered_map<std::string_view, std::size_t> customer_of;
  customer_of.reserve(customers.size());
  for (std::size_t i = 0; i < customers.size(); ++i)
    if (!customer_of.emplace(customers.id(i), i).second)
      return error{"covariates",
                   fmt::format("customer \"{}\" appears twice in {}: covariates "
                               "are joined on a unique id",
                               printable(customers.id(i)), the_summary(customers.name))};

  auto reader = table_reader::open(options.path, {});
  if (!reader) return std::move(reader).error();
  if (!reader->next()) {
    if (reader->failure()) return *reader->failure();
    return error{"covariates", name + " is empty"};
  }
  const std::vector<std::string> header(reader->fields().begin(), reader->fields().end());
  const auto column_named = [&](std::string_view wanted) -> result<std::optional<std::size_t>> {
    const auto at = std::find(header.begin(), header.end(), wanted);
    if (at == header.end()) return std::optional<std::size_t>{};
    if (std::find(at + 1, header.end(), wanted) != header.end())
      return error{"covariates",
                   fmt::format("{}: the header names \"{}\" twice", name, printable(wanted))};
    return std::optional<std::size_t>(static_cast<std::size_t>(at - header.begin()));
  };
  covariate_values out;
  std::size_t id_column = 0;
  auto given = column_named(options.id_col.empty() ? customers.id_name : options.id_col);
  if (!given) return std::move(given).error();
  if (*given) {
    id_column = **given;
  } else if (!options.id_col.empty()) {
    return error{"covariate-id-col", fmt::format("{}: no column \"{}\" in the header", name,
                                                 printable(options.id_col))};
  } else {
    out.notes.push_back(fmt::format(
        "{}: no column \"{}\": the customer ids are its first "
        "column, \"{}\" (--covariate-id-col names another)",
        name, printable(customers.id_name), header.empty() ? std::string() : printable(header[0])));
  }
  std::vector<std::size_t> value_column;
  for (const std::string& c : columns) {
    auto at = column_named(c);
    if (!at) return std::move(at).error();
    if (!*at)
      return error{"covariates",
                   fmt::format("{}: no column \"{}\" in the header (it has {})", name, printable(c),
                               printable(fmt::format("{}", fmt::join(header, ", "))))};
    if (**at == id_column)
      return error{"covariates",
                   fmt::format("{}: \"{}\" is the id column, not a covariate", name, printable(c))};
    value_column.push_back(**at);
  }

  // A summary that skipped rows or left customers out lacks some customers the file may have.
  const bool partial = customers.skipped_rows > 0 || !customers.left_out_note.empty();
  std::uint64_t ignored = 0;
  const std::size_t width = columns.size();
  out.values.assign(customers.size() * width, 0.0);
  std::vector<std::uint64_t> line_of(customers.size(), 0);  // 0: no row yet
  while (reader->next()) {
    const auto fields = reader->fields();
    const std::uint64_t line = reader->line();
    const auto at_line = [&](std::string field, std::string message) {
      return error{std::move(field), fmt::format("{} line {}: {}", name, line, message)};
    };
    if (id_column >= fields.size()) return at_line("covariates", "the row has no customer id");
    const std::string_view id = fields[id_column];
    const auto customer = customer_of.find(id);
    if (customer == customer_of.end()) {
      if (partial) {
        ++ignored;
        continue;
      }
      return at_line("covariates", fmt::format("customer \"{}\" is not in {}", printable(id),
                                               the_summary(customers.name)));
    }
    const std::size_t i = customer->second;
    if (line_of[i] != 0)
      return at_line("covariates", fmt::format("customer \"{}\" has a second row (the first is "
                                               "on line {})",
                                               printable(id), line_of[i]));
    line_of[i] = line;
    for (std::size_t c = 0; c < width; ++c) {
      if (value_column[c] >= fields.size())
        return at_line(columns[c], fmt::format("no {} value for customer \"{}\"",
                                               printable(columns[c]), printable(id)));
      auto v = parse_data_number(columns[c], fields[value_column[c]]);
      if (!v)
        return at_line(columns[c],
                       fmt::format("customer \"{}\": {}", printable(id), v.error().message));
      out.values[i * width + c] = *v;
    }
  }
  if (reader->failure()) return *reader->failure();
  for (std::size_t i = 0; i < customers.size(); ++i)
    if (line_of[i] == 0)
      return error{"covariates",
                   fmt::format("{}: customer \"{}\" of {} has no row", name,
                               printable(customers.id(i)), the_summary(customers.name))};
  if (ignored > 0)
    out.notes.push_back(
        fmt::format("{}: {} row{} for customers that {} skipped or left out: "
                    "not used",
                    name, ignored, ignored == 1 ? "" : "s", the_summary(customers.name)));
  return out;
}

result<std::vector<models::purchase_model>> customer_models_of(const fitted_models& fitted,
                                                               const covariate_options& options,
                                                               const summary_data& customers) {
  using none = std::vector<models::purchase_model>;
  if (!fitted.purchase || !fitted.covariates) {
    if (options.given())
      return error{"covariates",
                   "--covariates applies to a purchase model fitted with covariates "
                   "(`cltv fit ... --covariates`); this one has none"};
    if (!options.id_col.empty())
      return error{"covariates", "--covariate-id-col applies with --covariates"};
    return none{};
  }
  const std::vector<std::string> columns = models::covariate_columns(fitted.covariates->terms);
  if (!options.given())
    return error{"covariates",
                 fmt::format("{} was fitted with covariates ({}): give --covariates FILE with "
                             "those columns for the customers",
                             fitted.covariates_source, fmt::join(columns, ", "))};
  auto read = read_covariates(options, columns, customers);
  if (!read) return std::move(read).error();
  for (const std::string& note : read->notes) print_note(note);
  const std::vector<double>& values = read->values;
  std::vector<models::purchase_model> models;
  models.reserve(customers.size());
  const std::size_t width = columns.size();
  for (std::size_t i = 0; i < customers.size(); ++i) {
    auto m = models::customer_model(*fitted.purchase, *fitted.covariates,
                                    std::span<const double>(values).subspan(i * width, width));
    if (!m)
      return error{m.error().field,
                   fmt::format("customer {}: {}", customers.id(i), m.error().message)};
    models.push_back(*m);
  }
  return models;
}

}  // namespace cltv::cli
