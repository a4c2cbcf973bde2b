#include "commands/lifespan.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "cltv/lifespan.hpp"
#include "cltv/number.hpp"
#include "io/format_option.hpp"
#include "io/id_table.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* lifespan_examples = R"(Examples:
  cltv lifespan tests/data/records-small.csv
  cltv lifespan customers.csv --as-of 2024-06-30 --format json | jq .median_years
  cltv lifespan contracts.csv --customer-col account --start-col signed --end-col cancelled
  cltv lifespan tenure.csv --years-col years_active --format csv
  zcat customers.csv.gz | cltv lifespan - --skip-bad-rows   # .gz files are read directly too

Each row is one customer record: an id, a start date and an end date. An empty
end date means still active as of the as-of date, which is --as-of or else the
latest start or end date in the records (the output names the date used); a
record starting or ending after --as-of is an error.
Rows with the same id merge into one span, earliest start to latest end (a gap
between them counts as active); the customer is active if any of its rows is
open. With --years-col each row gives one customer's years active instead, and
an id may not repeat. Average lifespan = total years active / customers.
Lifespans are in years (days / 365.2425) and months (years x 12); quartiles
interpolate linearly between the sorted lifespans (type 7, as R and NumPy do).
Open records count the time so far: the average understates the final lifespan.
Exit codes: 0 ok, 2 bad input (the message names the line and the field).)";

/// What the statistics were computed from, for the output.
struct lifespan_report {
  lifespan_stats stats;
  std::optional<day_number> as_of;  // dates only
  bool as_of_given = false;         // --as-of, or the latest date in the records
  std::string input_name;
  std::string years_col;  // non-empty: from a years column; active is unknown
  std::uint64_t skipped_rows = 0;
};

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", grouped(static_cast<double>(n), 0), n == 1 ? one : many);
}

// "1.50 years (18.0 months)"
std::string years_and_months(double years) {
  return fmt::format("{} years ({} months)", grouped(years, 2), grouped(years * 12, 1));
}

// "1.00 – 2.25 years (12.0 – 27.0 months)"
std::string years_range(double low, double high) {
  return fmt::format("{} – {} years ({} – {} months)", grouped(low, 2), grouped(high, 2),
                     grouped(low * 12, 1), grouped(high * 12, 1));
}

void write_table(const lifespan_report& r, std::string& buf) {
  const lifespan_stats& s = r.stats;
  if (r.years_col.empty()) {
    buf += fmt::format("Customer lifespan ({}, {} still active as of {})\n\n",
                       plural(s.customers, "customer", "customers"),
                       grouped(static_cast<double>(s.active), 0), format_date(*r.as_of));
  } else {
    buf += fmt::format("Customer lifespan ({}, years active from column {})\n\n",
                       plural(s.customers, "customer", "customers"), printable(r.years_col));
  }
  buf += fmt::format("  Average lifespan   {}   = {} customer-years / {}\n",
                     years_and_months(s.mean_years), grouped(s.total_years, 2),
                     plural(s.customers, "customer", "customers"));
  buf += fmt::format("  Median             {}\n", years_and_months(s.median_years));
  buf += fmt::format("  Quartiles          {}\n", years_range(s.q1_years, s.q3_years));
  buf += fmt::format("  Range              {}\n\n", years_range(s.min_years, s.max_years));
  if (r.years_col.empty()) {
    if (r.as_of_given)
      buf += fmt::format("As of {} (--as-of).\n", format_date(*r.as_of));
    else
      buf += fmt::format("As of {}: the latest date in {} (set one with --as-of).\n",
                         format_date(*r.as_of), r.input_name);
    if (s.active > 0)
      buf += fmt::format(
          "Still active: {} of {}, counted up to the as-of date (the average "
          "understates the final lifespan).\n",
          grouped(static_cast<double>(s.active), 0), plural(s.customers, "customer", "customers"));
  }
  if (r.years_col.empty()) buf += "Years = days / 365.2425; ";
  buf += r.years_col.empty() ? "months" : "Months";
  buf += " = years × 12; quartiles: type 7 (linear between sorted lifespans).\n";
}

/// The figures as one record, for json and csv: unknowns are null.
flat_record record_of(const lifespan_report& r) {
  const lifespan_stats& s = r.stats;
  flat_record out;
  if (r.years_col.empty()) {
    out.text("as_of", format_date(*r.as_of))
        .text("as_of_source", r.as_of_given ? "option" : "latest_date")
        .count("customers", s.customers)
        .count("active", s.active);
  } else {
    out.null("as_of").null("as_of_source").count("customers", s.customers).null("active");
  }
  out.count("skipped_rows", r.skipped_rows).number("total_years", s.total_years);
  const std::array<std::pair<const char*, double>, 6> figures{{{"mean", s.mean_years},
                                                               {"median", s.median_years},
                                                               {"q1", s.q1_years},
                                                               {"q3", s.q3_years},
                                                               {"min", s.min_years},
                                                               {"max", s.max_years}}};
  for (const auto& [name, years] : figures)
    out.number(std::string(name) + "_years", years)
        .number(std::string(name) + "_months", years * 12);
  return out;
}

/// The row's customer id (column 0): present, not empty, not too long to intern.
result<std::string_view> customer_id(const table_input& in) {
  auto id = in.require(0);
  if (!id) return id;
  if (auto e = check_customer_id(*id)) return *e;
  return id;
}

/// Adds the current row (id, start date, end date or empty) to `builder`; the
/// error of a bad row.
std::optional<error> add_dates(const table_input& in, id_table& ids, lifespan_builder& builder) {
  auto customer = customer_id(in);
  if (!customer) return customer.error();
  auto start = in.date(1);
  if (!start) return start.error();
  auto end_text = in.require(2);
  if (!end_text) return end_text.error();
  std::optional<day_number> end;
  if (!end_text->empty()) {
    auto day = in.date(2);
    if (!day) return day.error();
    end = *day;
  }
  return builder.add(ids.intern(*customer), *start, end);
}

/// Adds the current row (id, years active) to `builder`; the error of a bad
/// row. `lines` holds each customer's line, for the message of a repeat.
std::optional<error> add_years(const table_input& in, id_table& ids,
                               lifespan_years_builder& builder, std::vector<std::uint64_t>& lines) {
  auto customer = customer_id(in);
  if (!customer) return customer.error();
  auto text = in.require(1);
  if (!text) return text.error();
  auto years = parse_number("years_active", *text, number_style::plain);
  if (!years) return years.error();
  const std::uint32_t index = ids.intern(*customer);
  auto added = builder.add(index, *years);
  if (!added) return added.error();
  if (*added == lifespan_years_builder::added::repeated)
    return error{"customer_id",
                 fmt::format("customer_id \"{}\" repeats (first on line {}); with --years-col "
                             "each row must be a different customer",
                             printable(*customer), lines[index])};
  if (index >= lines.size()) lines.resize(std::size_t{index} + 1);
  lines[index] = in.line();
  return std::nullopt;
}

/// Calls `add_row` for every row; on a fatal row error prints it and returns
/// false (with --skip-bad-rows bad rows are counted instead).
template <class AddRow>
bool read_rows(table_input& in, AddRow add_row) {
  while (in.next())
    if (auto e = add_row())
      if (auto stop = in.bad_row(*e)) {
        print_error(stop->message);
        return false;
      }
  return true;
}

}  // namespace

CLI::App* setup_lifespan(CLI::App& app, lifespan_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "lifespan", "Average customer lifespan (total years active / customers) with quartiles");
  cmd->footer(lifespan_examples);
  cmd->add_option("records", o.table.path, "Customer records: CSV (or .gz), - for stdin")
      ->required()
      ->option_text("RECORDS");
  cmd->add_option("--customer-col", o.customer_col, "Customer id column (default customer_id)")
      ->option_text("NAME|N");
  auto* start =
      cmd->add_option("--start-col", o.start_col, "Start date column (default start_date)")
          ->option_text("NAME|N");
  auto* end = cmd->add_option("--end-col", o.end_col,
                              "End date column, empty while active (default end_date)")
                  ->option_text("NAME|N");
  auto* as_of = cmd->add_option("--as-of", o.as_of,
                                "Open records run to this date (default: the latest date in the "
                                "records)")
                    ->option_text("DATE");
  cmd->add_option("--years-col", o.years_col,
                  "Read years active from this column instead of start and end dates")
      ->option_text("NAME|N")
      ->excludes(start)
      ->excludes(end)
      ->excludes(as_of);
  add_table_input_options(*cmd, o.table);
  add_format_option(*cmd, o.format, {"table", "json", "csv"},
                    "Output: table (default), json or csv");
  return cmd;
}

int run_lifespan(const lifespan_options& o) {
  const output_format format = format_named(o.format);
  auto given_as_of = parse_date_flag("as_of", o.as_of, o.table.date_format);
  if (!given_as_of) return print_error(given_as_of.error().message), 2;
  const std::optional<day_number> as_of = *given_as_of;

  const bool by_years = !o.years_col.empty();
  const std::array<column_choice, 3> date_columns{{
      {"customer_id", "--customer-col", o.customer_col, false},
      {"start_date", "--start-col", o.start_col, false},
      {"end_date", "--end-col", o.end_col, false},
  }};
  const std::array<column_choice, 2> years_columns{{
      {"customer_id", "--customer-col", o.customer_col, false},
      {"years_active", "--years-col", o.years_col, false},
  }};
  auto in = by_years ? table_input::open(o.table, years_columns)
                     : table_input::open(o.table, date_columns);
  if (!in) return print_error(in.error().message), 2;

  id_table ids;
  lifespan_report report;
  report.input_name = in->name();
  report.years_col = o.years_col;
  report.as_of_given = as_of.has_value();
  std::optional<error> no_stats;  // e.g. no records
  if (by_years) {
    lifespan_years_builder builder;
    std::vector<std::uint64_t> lines;
    if (!read_rows(*in, [&] { return add_years(*in, ids, builder, lines); })) return 2;
    auto stats = std::move(builder).finish();
    if (stats)
      report.stats = *stats;
    else
      no_stats = std::move(stats).error();
  } else {
    lifespan_builder builder(as_of);
    if (!read_rows(*in, [&] { return add_dates(*in, ids, builder); })) return 2;
    auto dated = std::move(builder).finish();
    if (dated) {
      report.stats = dated->stats;
      report.as_of = dated->as_of;
    } else {
      no_stats = std::move(dated).error();
    }
  }
  if (auto e = in->failure()) return print_error(e->message), 2;
  report.skipped_rows = in->skipped_rows();
  if (no_stats) {
    print_note(in->skipped_note());
    print_error(fmt::format("{}: {}", in->name(), no_stats->message));
    return 2;
  }

  output out(STDOUT_FILENO);
  if (format == output_format::json) {
    record_of(report).append_json(out.buffer());
    out.buffer() += '\n';
  } else if (format == output_format::csv) {
    record_of(report).append_csv(out.buffer());
  } else {
    write_table(report, out.buffer());
  }
  out.finish();
  print_note(in->skipped_note());
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
