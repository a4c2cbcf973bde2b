#include "commands/lifespan.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
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

enum class lifespan_format { table, json, csv };

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

// Keys in output order; the CSV header is the same list.
constexpr std::array<const char*, 18> keys{
    "as_of",      "as_of_source", "customers",    "active",        "skipped_rows", "total_years",
    "mean_years", "mean_months",  "median_years", "median_months", "q1_years",     "q1_months",
    "q3_years",   "q3_months",    "min_years",    "min_months",    "max_years",    "max_months"};

// The values of `keys`, as JSON text ("null" when unknown).
std::array<std::string, keys.size()> values_of(const lifespan_report& r) {
  const lifespan_stats& s = r.stats;
  const bool dates = r.years_col.empty();
  const auto number = [](double x) {
    std::string out;
    append_number(out, x);
    return out;
  };
  std::string as_of = "null";
  std::string source = "null";
  if (dates) {
    as_of.clear();
    append_json_string(as_of, format_date(*r.as_of));
    source = r.as_of_given ? "\"option\"" : "\"latest_date\"";
  }
  return {as_of,
          source,
          std::to_string(s.customers),
          dates ? std::to_string(s.active) : std::string("null"),
          std::to_string(r.skipped_rows),
          number(s.total_years),
          number(s.mean_years),
          number(s.mean_years * 12),
          number(s.median_years),
          number(s.median_years * 12),
          number(s.q1_years),
          number(s.q1_years * 12),
          number(s.q3_years),
          number(s.q3_years * 12),
          number(s.min_years),
          number(s.min_years * 12),
          number(s.max_years),
          number(s.max_years * 12)};
}

void write_json(const lifespan_report& r, std::string& buf) {
  const auto values = values_of(r);
  buf += '{';
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) buf += ',';
    buf += fmt::format("\"{}\":{}", keys[i], values[i]);
  }
  buf += "}\n";
}

void write_csv(const lifespan_report& r, std::string& buf) {
  auto values = values_of(r);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) buf += ',';
    buf += keys[i];
  }
  buf += '\n';
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) buf += ',';
    std::string& v = values[i];
    if (v == "null") continue;                            // unknown: an empty field
    if (v.front() == '"') v = v.substr(1, v.size() - 2);  // dates and words: no quotes needed
    buf += v;
  }
  buf += '\n';
}

/// One customer's span over its rows, in day numbers.
struct span {
  day_number start = 0;
  day_number end = 0;  // the latest end date of its closed rows
  bool open = false;   // some row has no end date
};

/// A bad row: true (after printing the error) when it stops the run, false
/// when --skip-bad-rows counts it.
bool fatal(table_input& in, const error& e) {
  if (auto stop = in.bad_row(e)) {
    print_error(stop->message);
    return true;
  }
  return false;
}

/// The row's customer id (column 0): present, not empty, not too long to intern.
result<std::string_view> customer_id(const table_input& in) {
  auto id = in.require(0);
  if (!id) return id;
  if (id->empty()) return error{"customer_id", "customer_id is empty"};
  if (id->size() > id_table::max_length)
    return error{"customer_id",
                 fmt::format("customer_id is longer than {} bytes", id_table::max_length)};
  return id;
}

/// Reads the rows of the records; on a fatal row error prints it and returns false.
bool read_dates(table_input& in, std::optional<day_number> as_of, id_table& ids,
                std::vector<span>& spans, day_number& latest) {
  while (in.next()) {
    auto customer = customer_id(in);
    if (!customer) {
      if (fatal(in, customer.error())) return false;
      continue;
    }
    auto start = in.date(1);
    if (!start) {
      if (fatal(in, start.error())) return false;
      continue;
    }
    auto end_text = in.require(2);
    if (!end_text) {
      if (fatal(in, end_text.error())) return false;
      continue;
    }
    std::optional<day_number> end;
    if (!end_text->empty()) {
      auto day = in.date(2);
      if (!day) {
        if (fatal(in, day.error())) return false;
        continue;
      }
      end = *day;
    }
    // Without --as-of the as-of date is the latest date of all rows, so only
    // an end before the start can be wrong yet: check against this row's own.
    auto days = record_days(*start, end, as_of.value_or(std::max(*start, end.value_or(*start))));
    if (!days) {
      if (fatal(in, days.error())) return false;
      continue;
    }
    const std::uint32_t index = ids.intern(*customer);
    if (index == spans.size()) {
      spans.push_back(span{*start, end.value_or(*start), !end});
    } else {
      span& s = spans[index];
      s.start = std::min(s.start, *start);
      s.end = std::max(s.end, end.value_or(*start));
      s.open = s.open || !end;
    }
    latest = std::max(latest, end.value_or(*start));
  }
  return true;
}

bool read_years(table_input& in, id_table& ids, std::vector<double>& years,
                std::vector<std::uint64_t>& lines) {
  while (in.next()) {
    auto customer = customer_id(in);
    if (!customer) {
      if (fatal(in, customer.error())) return false;
      continue;
    }
    auto text = in.require(1);
    auto value = text ? parse_number("years_active", *text, number_style::plain)
                      : result<double>(text.error());
    if (value && *value < 0)
      value = error{"years_active",
                    fmt::format("years_active {} is negative", format_shortest(*value))};
    if (!value) {
      if (fatal(in, value.error())) return false;
      continue;
    }
    const std::uint32_t index = ids.intern(*customer);
    if (index < years.size()) {
      if (fatal(in,
                error{"customer_id",
                      fmt::format("customer_id \"{}\" repeats (first on line {}); with --years-col "
                                  "each row must be a different customer",
                                  printable(*customer), lines[index])}))
        return false;
      continue;
    }
    years.push_back(*value);
    lines.push_back(in.line());
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
  lifespan_format format{};
  if (o.format == "json") {
    format = lifespan_format::json;
  } else if (o.format == "csv") {
    format = lifespan_format::csv;
  }
  std::optional<day_number> as_of;
  if (!o.as_of.empty()) {
    auto d = parse_date_option("as_of", o.as_of);
    if (!d) return print_error(d.error().message), 2;
    as_of = *d;
  }

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
  std::vector<double> years;
  std::uint64_t active = 0;
  if (by_years) {
    std::vector<std::uint64_t> lines;  // each customer's row, for the repeat message
    if (!read_years(*in, ids, years, lines)) return 2;
  } else {
    std::vector<span> spans;
    day_number latest = INT32_MIN;
    if (!read_dates(*in, as_of, ids, spans, latest)) return 2;
    if (!spans.empty()) {
      report.as_of = as_of.value_or(latest);
      years.reserve(spans.size());
      for (const span& s : spans) {
        auto days =
            record_days(s.start, s.open ? std::nullopt : std::optional(s.end), *report.as_of);
        if (!days) return print_error(days.error().message), 2;  // checked row by row
        years.push_back(years_from_days(*days));
        if (s.open) ++active;
      }
    }
  }
  if (auto e = in->failure()) return print_error(e->message), 2;
  report.skipped_rows = in->skipped_rows();

  auto stats = lifespan_statistics(std::move(years), active);
  if (!stats) {
    print_note(in->skipped_note());
    print_error(fmt::format("{}: {}", in->name(), stats.error().message));
    return 2;
  }
  report.stats = *stats;

  output out(STDOUT_FILENO);
  switch (format) {
    case lifespan_format::table:
      write_table(report, out.buffer());
      break;
    case lifespan_format::json:
      write_json(report, out.buffer());
      break;
    case lifespan_format::csv:
      write_csv(report, out.buffer());
      break;
  }
  out.finish();
  print_note(in->skipped_note());
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
