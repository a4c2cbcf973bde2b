#include "io/summary_input.hpp"

#include <fmt/format.h>

#include <cmath>

#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "io/text.hpp"

namespace cltv::cli {

result<table_input> open_named_columns(const table_input_options& table,
                                       std::span<const named_column> columns,
                                       std::vector<std::optional<std::size_t>>& index) {
  // Every candidate name is an optional column of the table; the first found wins.
  std::vector<column_choice> choices;
  std::vector<std::size_t> first;  // columns[i]'s candidates: choices[first[i] …]
  for (const named_column& c : columns) {
    first.push_back(choices.size());
    if (!c.given.empty()) {
      choices.push_back({c.field, c.flag, c.given, !c.required});
    } else {
      for (const char* name : c.names) choices.push_back({c.field, c.flag, name, true});
    }
  }
  first.push_back(choices.size());
  auto in = table_input::open(table, choices);
  if (!in) return in;
  index.assign(columns.size(), std::nullopt);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    for (std::size_t k = first[i]; k < first[i + 1] && !index[i]; ++k)
      if (in->has_column(k)) index[i] = k;
    const named_column& c = columns[i];
    if (index[i] || !c.required || !c.given.empty()) continue;
    // A column without a flag of its own (the holdout's) is found by its name.
    const std::string choose =
        *c.flag ? fmt::format("choose one with {}", c.flag)
                : std::string("a calibration summary has it (cltv summarize --calibration-end)");
    if (table.no_header)
      return error{c.field, *c.flag ? fmt::format("{} must be a 1-based column position with "
                                                  "--no-header",
                                                  c.flag)
                                    : fmt::format("{}: {} needs a header", in->name(), c.field)};
    std::string tried;
    for (std::size_t k = 0; k < c.names.size(); ++k)
      tried += fmt::format("{}\"{}\"",
                           k == 0                    ? ""
                           : k + 1 == c.names.size() ? " or "
                                                     : ", ",
                           c.names[k]);
    return error{c.field,
                 fmt::format("{}: no column {} in the header; {}", in->name(), tried, choose)};
  }
  return in;
}

named_column frequency_column(const std::string& given, bool required) {
  return {"frequency", "--frequency-col", given, {"frequency", "x", "frequency_cal"}, required};
}

named_column recency_column(const std::string& given, bool required) {
  return {"recency", "--recency-col", given, {"recency", "t_x", "recency_cal"}, required};
}

named_column T_column(const std::string& given, bool required) {
  // BG/BB's opportunities n stand where T does (`cltv summarize --opportunities`).
  return {"T", "--T-col", given, {"T", "T_cal", "periods", "periods_cal"}, required};
}

named_column monetary_column(const std::string& given, bool required) {
  return {"monetary_value",
          "--monetary-col",
          given,
          {"monetary_value", "zbar", "monetary_value_cal"},
          required};
}

result<double> number_field(const table_input& in, std::size_t column, std::string_view field) {
  auto text = in.require(column);
  if (!text) return std::move(text).error();
  return parse_data_number(field, *text);
}

namespace {

constexpr std::array<const char*, 4> stamp_names{"time_unit_days", "freq", "observation_end",
                                                 "calibration_end"};

// The stamp field `k` of `text` into `stamp`.
std::optional<error> parse_stamp_field(std::size_t k, std::string_view text, summary_stamp& stamp) {
  switch (k) {
    case 0: {
      auto days = parse_time_unit(text);
      if (!days)
        return error{"time_unit_days", fmt::format("time_unit_days must be a positive number of "
                                                   "days, got \"{}\"",
                                                   printable(text))};
      stamp.time_unit_days = *days;
      return std::nullopt;
    }
    case 1: {
      auto freq = parse_period_unit("freq", text);
      if (!freq) return std::move(freq).error();
      stamp.freq = *freq;
      return std::nullopt;
    }
    default: {
      auto day = parse_iso_date(stamp_names[k], text);
      if (!day) return std::move(day).error();
      (k == 2 ? stamp.observation_end : stamp.calibration_end) = *day;
      return std::nullopt;
    }
  }
}

}  // namespace

std::string the_summary(std::string_view name) {
  return name == "stdin" ? std::string("the summary on stdin") : "the summary " + std::string(name);
}

void summary_stamp_reader::add_columns(std::vector<named_column>& columns) {
  first_ = columns.size();
  for (const char* name : stamp_names) columns.push_back({name, "", "", {name}, false});
}

std::optional<error> summary_stamp_reader::check_row(
    const table_input& in, std::span<const std::optional<std::size_t>> at) {
  for (std::size_t k = 0; k < count; ++k) {
    if (!at[first_ + k]) continue;
    // An empty field, an absent or null NDJSON key: the row does not state it.
    std::optional<std::string_view> text = in.field(*at[first_ + k]);
    if (text && text->empty()) text.reset();
    if (!seen_) {
      if (!text) continue;
      if (auto e = parse_stamp_field(k, *text, stamp_)) return error{e->field, in.row_message(*e)};
      text_[k] = std::string(*text);
      continue;
    }
    if (text == text_[k]) continue;  // the common case: the same text (or none)
    if (text && text_[k]) {
      summary_stamp row = stamp_;
      if (auto e = parse_stamp_field(k, *text, row)) return error{e->field, in.row_message(*e)};
      if (row.time_unit_days == stamp_.time_unit_days && row.freq == stamp_.freq &&
          row.observation_end == stamp_.observation_end &&
          row.calibration_end == stamp_.calibration_end)
        continue;  // another spelling of the same value ("7.0")
    }
    const auto shown = [](const std::optional<std::string_view>& t) {
      return t ? fmt::format("\"{}\"", printable(*t)) : std::string("none");
    };
    return error{
        stamp_names[k],
        in.row_message(
            error{stamp_names[k],
                  fmt::format("{} {} differs from {} on line {}: it must be the same on every row",
                              stamp_names[k], shown(text), shown(text_[k]), first_line_)})};
  }
  if (!seen_) first_line_ = in.line();
  seen_ = true;
  return std::nullopt;
}

bool summary_stamp_reader::add_fixed_fields(const table_input& in,
                                            std::span<const std::optional<std::size_t>> at,
                                            whole_number_rows& rows) const {
  if (!seen_) return false;
  for (std::size_t k = 0; k < count; ++k)
    if (at[first_ + k]) rows.add_fixed(in.field_position(*at[first_ + k]), text_[k]);
  return true;
}

std::vector<const CLI::Option*> add_summary_column_options(CLI::App& app, summary_columns& c,
                                                           bool monetary) {
  std::vector<const CLI::Option*> options{
      app.add_option("--frequency-col", c.frequency,
                     "Frequency column (default frequency, else x, else frequency_cal)")
          ->option_text("NAME|N"),
      app.add_option("--recency-col", c.recency,
                     "Recency column (default recency, else t_x, else recency_cal)")
          ->option_text("NAME|N"),
      app.add_option("--T-col", c.T, "Age column (default T, else T_cal)")->option_text("NAME|N")};
  if (monetary)
    options.push_back(app.add_option("--monetary-col", c.monetary,
                                     "Mean repeat spend column (default monetary_value, else "
                                     "zbar, else monetary_value_cal)")
                          ->option_text("NAME|N"));
  return options;
}

void add_summary_source_options(CLI::App& app, summary_source& source, bool monetary,
                                const std::string& summary_help) {
  app.add_option("summary", source.summary, summary_help)->option_text("SUMMARY");
  source.log_flags = add_log_summary_options(app, source.log, log_argument::option);
  source.summary_only = add_summary_column_options(app, source.columns, monetary);
}

void add_database_source_options(CLI::App& app, summary_source& source) {
  add_database_options(app, source.database);
}

std::optional<std::string> summary_source_conflict(const summary_source& source) {
  if (auto e = database_conflict(source.database)) return e->message;
  const bool database = source.database.given();
  int inputs = database ? 1 : 0;
  if (!source.summary.empty()) ++inputs;
  if (source.from_log()) ++inputs;
  const bool can_query = source.database.from_option != nullptr;
  if (inputs > 1)
    return can_query ? "give one input: a SUMMARY, --log FILE or --from URI"
                     : "give a SUMMARY or --log FILE, not both";
  if (inputs == 0)
    return can_query ? "give a SUMMARY (as `cltv summarize` writes it), --log FILE (a "
                       "transaction log) or --from URI --table NAME (a log in PostgreSQL)"
                     : "give a SUMMARY (as `cltv summarize` writes it) or --log FILE (a "
                       "transaction log)";
  if (source.summarized()) {
    if (const CLI::Option* o = first_given(source.summary_only))
      return fmt::format(
          "{} names a column of a SUMMARY; with {} the summary is made from the log "
          "(leave {} out)",
          o->get_name(), database ? "--from" : "--log", o->get_name());
  } else if (const CLI::Option* o = first_given(source.log_flags.log_only)) {
    return fmt::format(
        "{} says how to read or summarize a transaction log: it applies with --log FILE{}, not "
        "to a SUMMARY",
        o->get_name(), can_query ? " or --from" : "");
  }
  return std::nullopt;
}

result<std::optional<double>> given_summary_unit(const summary_source& source) {
  if (source.summarized() || source.log.time_unit.empty()) return std::optional<double>();
  auto days = parse_time_unit(source.log.time_unit);
  if (!days) return std::move(days).error();
  return std::optional<double>(*days);
}

table_input_options summary_table(const summary_source& source) {
  table_input_options table = source.log.log.table;
  table.path = source.summary;
  return table;
}

summary_columns summary_columns_of(const summary_source& source) {
  summary_columns columns = source.columns;
  if (source.log_flags.customer_col && source.log_flags.customer_col->count())
    columns.id = source.log.log.customer_col;
  return columns;
}

named_column holdout_purchases_column(bool required) {
  return {"frequency_holdout", "", "", {"frequency_holdout"}, required};
}

named_column holdout_duration_column(bool required) {
  return {"duration_holdout", "", "", {"duration_holdout"}, required};
}

result<std::pair<double, double>> holdout_fields(const table_input& in,
                                                 std::size_t purchases_column,
                                                 std::size_t duration_column) {
  auto purchases = number_field(in, purchases_column, "frequency_holdout");
  if (!purchases) return std::move(purchases).error();
  auto duration = number_field(in, duration_column, "duration_holdout");
  if (!duration) return std::move(duration).error();
  if (!(*purchases >= 0 && *purchases == std::floor(*purchases)))
    return error{"frequency_holdout", "frequency_holdout must be a whole number >= 0, got " +
                                          format_shortest(*purchases)};
  if (!(*duration > 0 && std::isfinite(*duration)))
    return error{"duration_holdout",
                 "duration_holdout must be > 0, got " + format_shortest(*duration)};
  return std::pair{*purchases, *duration};
}

result<summary_data> read_summary(const table_input_options& table, const summary_columns& c,
                                  const summary_needs& needs) {
  enum { id, frequency, recency, T, monetary, holdout_frequency, holdout_duration };
  std::vector<named_column> columns{
      {"customer_id", "--customer-col", c.id, {"customer_id", "ID", "id"}, !c.id.empty()},
      frequency_column(c.frequency),
      recency_column(c.recency, needs.recency_and_T),
      T_column(c.T, needs.recency_and_T),
      monetary_column(c.monetary, needs.monetary),
      holdout_purchases_column(needs.holdout),
      holdout_duration_column(needs.holdout),
  };
  summary_stamp_reader stamp;
  stamp.add_columns(columns);
  std::vector<std::optional<std::size_t>> at;
  auto in = open_named_columns(table, columns, at);
  if (!in) return std::move(in).error();

  summary_data out;
  out.name = in->name();
  // The id's candidates come first among the choices: its index is the name's.
  out.id_name = !at[id]                      ? std::string("row")
                : !columns[id].given.empty() ? columns[id].given
                                             : std::string(columns[id].names[*at[id]]);
  std::uint64_t row_number = 0;
  while (in->next()) {
    ++row_number;
    if (auto e = stamp.check_row(*in, at)) return *e;
    models::rfm_tuple t;
    double m = 0;
    std::pair<double, double> holdout{0, 0};  // purchases, duration
    std::string_view id_text;
    const auto check = [&]() -> std::optional<error> {
      auto x = number_field(*in, *at[frequency], "frequency");
      if (!x) return std::move(x).error();
      t.x = *x;
      if (needs.recency_and_T) {
        auto tx = number_field(*in, *at[recency], "recency");
        if (!tx) return std::move(tx).error();
        auto age = number_field(*in, *at[T], "T");
        if (!age) return std::move(age).error();
        t.t_x = *tx;
        t.T = *age;
        auto checked = models::check_rfm_tuple(t);
        if (!checked) return std::move(checked).error();
      } else if (auto checked = models::check_frequency(t.x); !checked) {
        return std::move(checked).error();
      }
      if (needs.monetary && t.x > 0) {
        auto fm = number_field(*in, *at[monetary], "monetary_value");
        if (!fm) return std::move(fm).error();
        if (auto e = beyond_max_amount("monetary_value", *fm)) return e;  // a mean of amounts
        m = *fm;
      }
      if (needs.holdout) {
        auto h = holdout_fields(*in, *at[holdout_frequency], *at[holdout_duration]);
        if (!h) return std::move(h).error();
        holdout = *h;
      }
      if (at[id]) {
        auto text = in->require(*at[id]);
        if (!text) return std::move(text).error();
        if (std::string why = unprintable_id(out.id_name, *text); !why.empty())
          return error{out.id_name, std::move(why)};
        id_text = *text;
      }
      return std::nullopt;
    }();
    if (check) {
      if (auto fatal = in->bad_row(*check)) return *fatal;
      continue;
    }
    out.rows.push_back(t);
    if (needs.monetary) out.monetary.push_back(m);
    if (needs.holdout) {
      out.holdout_purchases.push_back(holdout.first);
      out.holdout_duration.push_back(holdout.second);
    }
    if (at[id]) {
      out.ids_ += id_text;
    } else {
      out.ids_ += std::to_string(row_number);
    }
    out.id_end_.push_back(out.ids_.size());
  }
  if (auto e = in->failure()) return *e;
  out.skipped_rows = in->skipped_rows();
  out.skipped_note = in->skipped_note();
  out.stamp = stamp.stamp();
  if (out.rows.empty()) return error{"input", fmt::format("{} has no customer rows", in->name())};
  return out;
}

}  // namespace cltv::cli
