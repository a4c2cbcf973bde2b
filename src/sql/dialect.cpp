#include "sql/dialect.hpp"

#include <fmt/format.h>

#include <array>
#include <string>

#include "cltv/number.hpp"

namespace cltv::sql {

namespace {

// Each engine's fragments. PostgreSQL and DuckDB type their columns, so only
// SQLite (text dates, any value in any column) needs the row checks.
constexpr std::array<dialect_rules, 7> all_rules{{
    {.name = "postgres",
     .display_name = "PostgreSQL",
     .identifier_quote = '"',
     .max_identifier_bytes = 63,
     .backslash_string_prefix = true,
     .double_type = "DOUBLE PRECISION",
     .text_type = "TEXT",
     // date_part('epoch', …) is the instant of a timestamptz, and the
     // nominal seconds of a timestamp or a date: neither depends on the
     // session's TimeZone. It is extract(epoch …) as a double, not a numeric
     // (PostgreSQL 14+), which costs several times more per row.
     .utc_day = "CAST(floor(date_part('epoch', {0}) / 86400) AS INTEGER)",
     .unreadable_date = "",
     .not_a_number = "",
     .not_finite = "{0} IN ('Infinity'::float8, '-Infinity'::float8, 'NaN'::float8)",
     .date_literal = "DATE '{0}'",
     .date_text = "to_char(DATE '1970-01-01' + {0}, 'YYYY-MM-DD')",
     .month_index = "(CAST(extract(year FROM DATE '1970-01-01' + {0}) AS INTEGER) - 1970) * 12 + "
                    "CAST(extract(month FROM DATE '1970-01-01' + {0}) AS INTEGER) - 1",
     // PostgreSQL clamps the day when it adds months to a date.
     .add_months = "(CAST(DATE '1970-01-01' + {0} + make_interval(months => {1}) AS DATE) - "
                   "DATE '1970-01-01')",
     // There is no raise function in plain SQL: a text that is not an
     // integer fails with the text in the message.
     .fail = "CAST({0} AS INTEGER)",
     .floor_div = "((({0}) - ((({0}) % {1}) + {1}) % {1}) / {1})",
     .double_literal = "CAST('{0}' AS DOUBLE PRECISION)",
     // PostgreSQL 12 or later.
     .inline_cte = "NOT MATERIALIZED "},
    {.name = "duckdb",
     .display_name = "DuckDB",
     .identifier_quote = '"',
     .max_identifier_bytes = 0,
     .backslash_string_prefix = false,
     .double_type = "DOUBLE",
     .text_type = "VARCHAR",
     .utc_day = "CAST(floor(epoch({0}) / 86400) AS INTEGER)",
     .unreadable_date = "",
     .not_a_number = "",
     .not_finite = "NOT isfinite({0})",
     .date_literal = "DATE '{0}'",
     .date_text = "strftime(DATE '1970-01-01' + CAST({0} AS INTEGER), '%Y-%m-%d')",
     .month_index = "(year(DATE '1970-01-01' + CAST({0} AS INTEGER)) - 1970) * 12 + "
                    "month(DATE '1970-01-01' + CAST({0} AS INTEGER)) - 1",
     .add_months = "(CAST(DATE '1970-01-01' + CAST({0} AS INTEGER) + to_months(CAST({1} AS "
                   "INTEGER)) AS DATE) - DATE '1970-01-01')",
     .fail = "error({0})",
     .floor_div = "((({0}) - ((({0}) % {1}) + {1}) % {1}) // {1})",
     .double_literal = "CAST('{0}' AS DOUBLE)"},
    {.name = "sqlite",
     .display_name = "SQLite",
     .identifier_quote = '`',
     .max_identifier_bytes = 0,
     .backslash_string_prefix = false,
     .double_type = "REAL",
     .text_type = "TEXT",
     // Dates are ISO 8601 text; unixepoch() converts a Z or ±HH:MM offset to
     // UTC. Integer division truncates: floor it for days before 1970.
     .utc_day = "((unixepoch({0}) - ((unixepoch({0}) % 86400) + 86400) % 86400) / 86400)",
     .unreadable_date = "typeof({0}) <> 'text' OR unixepoch({0}) IS NULL",
     .not_a_number = "typeof({0}) NOT IN ('integer', 'real')",
     .not_finite = "abs({0}) > 1.7976931348623157e308",
     .date_literal = "'{0}'",
     .date_text = "date({0} * 86400, 'unixepoch')",
     .month_index = "(CAST(strftime('%Y', {0} * 86400, 'unixepoch') AS INTEGER) - 1970) * 12 + "
                    "CAST(strftime('%m', {0} * 86400, 'unixepoch') AS INTEGER) - 1",
     // SQLite's '+N months' overflows into the next month (Jan 31 + 1 month
     // is Mar 3): go to the target month's first day, then add the day of
     // the month, at most the month's last.
     .add_months =
         "(unixepoch(date({0} * 86400, 'unixepoch', 'start of month', '+' || ({1}) || ' months')) "
         "/ 86400 + min(CAST(strftime('%d', {0} * 86400, 'unixepoch') AS INTEGER) - 1, "
         "(unixepoch(date({0} * 86400, 'unixepoch', 'start of month', '+' || ({1} + 1) || ' "
         "months')) - unixepoch(date({0} * 86400, 'unixepoch', 'start of month', '+' || ({1}) || "
         "' months'))) / 86400 - 1))",
     // No raise function outside triggers: a JSON path that is not one fails
     // with the path, our message, in the error.
     .fail = "json_extract('{{}}', {0})",
     .floor_div = "((({0}) - ((({0}) % {1}) + {1}) % {1}) / {1})",
     .double_literal = "{0}"},
    // The cloud engines: not run here, their queries parsed by the tests in
    // each engine's grammar. One UTC-day expression cannot serve a date, a
    // timestamp and an instant in any of them, hence --date-type.
    {.name = "bigquery",
     .display_name = "BigQuery",
     .identifier_quote = '`',
     .identifier_backslash_escapes = true,
     .string_backslash_escapes = true,
     .double_type = "FLOAT64",
     .text_type = "STRING",
     .utc_day = "UNIX_DATE({0})",
     .utc_day_of_timestamp = "UNIX_DATE(DATE({0}))",  // DATETIME: its day as written
     // TIMESTAMP is an instant; DATE() would use the default time zone.
     .utc_day_of_timestamptz = "UNIX_DATE(DATE({0}, 'UTC'))",
     .needs_date_type = true,
     .unreadable_date = "",
     .not_a_number = "",
     .not_finite = "(IS_INF({0}) OR IS_NAN({0}))",
     .date_literal = "DATE '{0}'",
     .date_text = "CAST(DATE_FROM_UNIX_DATE({0}) AS STRING)",
     .month_index = "(EXTRACT(YEAR FROM DATE_FROM_UNIX_DATE({0})) - 1970) * 12 + "
                    "EXTRACT(MONTH FROM DATE_FROM_UNIX_DATE({0})) - 1",
     // DATE_ADD clamps the day to the target month's length.
     .add_months = "UNIX_DATE(DATE_ADD(DATE_FROM_UNIX_DATE({0}), INTERVAL {1} MONTH))",
     .fail = "ERROR({0})",
     // `/` is FLOAT64 and there is no `%`; DIV and MOD truncate.
     .floor_div = "(DIV({0}, {1}) - IF(MOD({0}, {1}) < 0, 1, 0))",
     .double_literal = "CAST('{0}' AS FLOAT64)"},
    {.name = "snowflake",
     .display_name = "Snowflake",
     .identifier_quote = '"',
     .string_backslash_escapes = true,
     .double_type = "DOUBLE",
     .text_type = "VARCHAR",
     .utc_day = "DATEDIFF(DAY, TO_DATE('1970-01-01', 'YYYY-MM-DD'), {0})",
     .utc_day_of_timestamp =
         "DATEDIFF(DAY, TO_DATE('1970-01-01', 'YYYY-MM-DD'), CAST({0} AS DATE))",
     // TIMESTAMP_TZ keeps its own offset and TIMESTAMP_LTZ the session's:
     // both to UTC first.
     .utc_day_of_timestamptz = "DATEDIFF(DAY, TO_DATE('1970-01-01', 'YYYY-MM-DD'), "
                               "CAST(CONVERT_TIMEZONE('UTC', {0}) AS DATE))",
     .needs_date_type = true,
     .unreadable_date = "",
     .not_a_number = "",
     .not_finite = "{0} IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))",
     // An explicit format: DATE '…' follows the session's DATE_INPUT_FORMAT.
     .date_literal = "TO_DATE('{0}', 'YYYY-MM-DD')",
     .date_text =
         "TO_VARCHAR(DATEADD(DAY, {0}, TO_DATE('1970-01-01', 'YYYY-MM-DD')), 'YYYY-MM-DD')",
     .month_index = "(YEAR(DATEADD(DAY, {0}, TO_DATE('1970-01-01', 'YYYY-MM-DD'))) - 1970) * 12 + "
                    "MONTH(DATEADD(DAY, {0}, TO_DATE('1970-01-01', 'YYYY-MM-DD'))) - 1",
     // DATEADD clamps the day; ADD_MONTHS would move a month's last day to
     // the next month's last.
     .add_months = "DATEDIFF(DAY, TO_DATE('1970-01-01', 'YYYY-MM-DD'), DATEADD(MONTH, {1}, "
                   "DATEADD(DAY, {0}, TO_DATE('1970-01-01', 'YYYY-MM-DD'))))",
     // No raise function in plain SQL: our text is never a number.
     .fail = "CAST({0} AS INTEGER)",
     // `/` of integers is a NUMBER with a scale, not integer division.
     .floor_div = "CAST((({0}) - MOD(MOD({0}, {1}) + {1}, {1})) / {1} AS INTEGER)",
     .double_literal = "CAST('{0}' AS DOUBLE)"},
    {.name = "trino",
     .display_name = "Trino",
     .identifier_quote = '"',
     .double_type = "DOUBLE",
     .text_type = "VARCHAR",
     .utc_day = "date_diff('day', DATE '1970-01-01', {0})",
     .utc_day_of_timestamp = "date_diff('day', DATE '1970-01-01', CAST({0} AS DATE))",
     // A timestamp with a zone casts to the date in its own zone: to UTC
     // first (never AT TIME ZONE on a plain timestamp: the session's zone).
     .utc_day_of_timestamptz =
         "date_diff('day', DATE '1970-01-01', CAST(at_timezone({0}, 'UTC') AS DATE))",
     .needs_date_type = true,
     .unreadable_date = "",
     .not_a_number = "",
     .not_finite = "NOT is_finite({0})",
     .date_literal = "DATE '{0}'",
     .date_text = "CAST(date_add('day', {0}, DATE '1970-01-01') AS VARCHAR)",
     .month_index = "(year(date_add('day', {0}, DATE '1970-01-01')) - 1970) * 12 + "
                    "month(date_add('day', {0}, DATE '1970-01-01')) - 1",
     .add_months = "date_diff('day', DATE '1970-01-01', date_add('month', {1}, date_add('day', "
                   "{0}, DATE '1970-01-01')))",
     .fail = "CAST({0} AS INTEGER)",
     .floor_div = "((({0}) - ((({0}) % {1}) + {1}) % {1}) / {1})",
     .double_literal = "CAST('{0}' AS DOUBLE)"},
    {.name = "spark",
     .display_name = "Spark SQL",
     .identifier_quote = '`',
     .string_backslash_escapes = true,
     .double_type = "DOUBLE",
     .text_type = "STRING",
     .utc_day = "unix_date({0})",
     .utc_day_of_timestamp = "unix_date(CAST({0} AS DATE))",  // TIMESTAMP_NTZ
     // TIMESTAMP (TIMESTAMP_LTZ) is an instant; its cast to DATE would use
     // spark.sql.session.timeZone.
     .utc_day_of_timestamptz = "CAST(floor(unix_seconds({0}) / 86400) AS INT)",
     .needs_date_type = true,
     .unreadable_date = "",
     .not_a_number = "",
     .not_finite = "(isnan({0}) OR abs({0}) = CAST('Infinity' AS DOUBLE))",
     .date_literal = "DATE '{0}'",
     .date_text = "CAST(date_from_unix_date({0}) AS STRING)",
     .month_index = "(year(date_from_unix_date({0})) - 1970) * 12 + "
                    "month(date_from_unix_date({0})) - 1",
     // Spark 3's add_months clamps the day (Hive's also moved a last day to
     // the last day).
     .add_months = "unix_date(add_months(date_from_unix_date({0}), {1}))",
     .fail = "raise_error({0})",
     // `/` is a double (exact here: days are far below 2^53); no `div`, which
     // the Hive grammar the tests parse with does not take.
     .floor_div = "CAST((({0}) - pmod({0}, {1})) / {1} AS INT)",
     .double_literal = "CAST('{0}' AS DOUBLE)"},
}};

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    unsigned min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    unsigned code = c & (0x3F >> extra);
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      code = (code << 6) | (d & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

std::string_view to_string(dialect d) noexcept {
  return rules(d).name;
}

result<dialect> parse_dialect(std::string_view name) {
  if (name == "postgresql") return dialect::postgres;
  if (name == "sqlite3") return dialect::sqlite;
  for (std::size_t i = 0; i < all_rules.size(); ++i)
    if (all_rules[i].name == name) return static_cast<dialect>(i);
  return error{
      "dialect",
      "dialect must be postgres, duckdb, sqlite, bigquery, snowflake, trino or spark, got \"" +
          printable(name) + "\""};
}

result<date_column_type> parse_date_column_type(std::string_view name) {
  if (name == "date") return date_column_type::date;
  if (name == "timestamp") return date_column_type::timestamp;
  if (name == "timestamptz") return date_column_type::timestamptz;
  return error{"date_type",
               "date_type must be date, timestamp or timestamptz, got \"" + printable(name) + "\""};
}

std::string_view utc_day_rule(dialect d, date_column_type type) noexcept {
  const dialect_rules& r = rules(d);
  if (type == date_column_type::timestamp && !r.utc_day_of_timestamp.empty())
    return r.utc_day_of_timestamp;
  if (type == date_column_type::timestamptz && !r.utc_day_of_timestamptz.empty())
    return r.utc_day_of_timestamptz;
  return r.utc_day;
}

const dialect_rules& rules(dialect d) noexcept {
  return all_rules[static_cast<std::size_t>(d)];
}

result<std::string> quote_identifier(dialect d, std::string_view field, std::string_view name) {
  const std::string quoted_name = "\"" + printable(name) + "\"";
  if (name.empty()) return error{std::string(field), std::string(field) + " is empty"};
  if (name.find('\0') != std::string_view::npos)
    return error{std::string(field), std::string(field) + " " + quoted_name +
                                         " holds a NUL byte, which no SQL identifier can"};
  if (!valid_utf8(name)) {
    std::string shown;  // every byte above ASCII as \xHH: the name is not text
    for (const char c : printable(name)) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x80) {
        shown += c;
      } else {
        constexpr std::string_view hex = "0123456789abcdef";
        shown += "\\x";
        shown += hex[byte >> 4];
        shown += hex[byte & 0xF];
      }
    }
    return error{std::string(field), std::string(field) + " \"" + shown + "\" is not valid UTF-8"};
  }
  const dialect_rules& r = rules(d);
  if (r.max_identifier_bytes > 0 && name.size() > r.max_identifier_bytes)
    return error{std::string(field),
                 fmt::format("{} {} is {} bytes long; {} identifiers are at most {}", field,
                             quoted_name, name.size(), r.display_name, r.max_identifier_bytes)};
  const char quote = r.identifier_quote;
  std::string out(1, quote);
  for (const char c : name) {
    if (r.identifier_backslash_escapes && (c == quote || c == '\\'))
      out += '\\';
    else if (c == quote)
      out += quote;  // doubled: the only escape inside a standard quoted identifier
    out += c;
  }
  out += quote;
  return out;
}

result<std::string> quote_table_name(dialect d, std::string_view name) {
  std::string out;
  std::size_t start = 0;
  int parts = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view part =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (++parts > 3)
      return error{"table", "table \"" + printable(name) +
                                "\" has more than three dot-separated parts "
                                "(database.schema.table)"};
    auto quoted = quote_identifier(d, "table", part);
    if (!quoted) {
      if (part.empty())
        return error{"table", "table \"" + printable(name) + "\" has an empty part"};
      return std::move(quoted).error();
    }
    if (!out.empty()) out += '.';
    out += *quoted;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string double_literal(dialect d, double x) {
  return fmt::format(fmt::runtime(rules(d).double_literal), format_shortest(x));
}

std::string string_literal(dialect d, std::string_view text) {
  const dialect_rules& r = rules(d);
  if (r.string_backslash_escapes) {
    std::string out = "'";
    for (const char c : text) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  }
  // A backslash goes in E'…' where the dialect needs it; otherwise the only
  // escape is ''.
  const bool escaped = r.backslash_string_prefix && text.find('\\') != std::string_view::npos;
  std::string out = escaped ? "E'" : "'";
  for (const char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\' && escaped) out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace cltv::sql
