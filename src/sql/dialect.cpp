#include "sql/dialect.hpp"

#include <fmt/format.h>

#include <array>
#include <string>

#include "cltv/number.hpp"

namespace cltv::sql {

namespace {

// Each engine's fragments. PostgreSQL and DuckDB type their columns, so only
// SQLite (text dates, any value in any column) needs the row checks.
constexpr std::array<dialect_rules, 3> all_rules{{
    {.name = "postgres",
     .display_name = "PostgreSQL",
     .identifier_quote = '"',
     .max_identifier_bytes = 63,
     .backslash_string_prefix = true,
     .double_type = "DOUBLE PRECISION",
     .text_type = "TEXT",
     // extract(epoch …) is the instant of a timestamptz, and the nominal
     // seconds of a timestamp or a date: neither depends on the session's
     // TimeZone.
     .utc_day = "CAST(floor(extract(epoch FROM {0}) / 86400) AS INTEGER)",
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
     .double_literal = "CAST('{0}' AS DOUBLE PRECISION)"},
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
  if (name == "postgres" || name == "postgresql") return dialect::postgres;
  if (name == "duckdb") return dialect::duckdb;
  if (name == "sqlite" || name == "sqlite3") return dialect::sqlite;
  return error{"dialect",
               "dialect must be postgres, duckdb or sqlite, got \"" + printable(name) + "\""};
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
    if (c == quote) out += quote;  // doubled: the only escape inside a quoted identifier
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
  // A backslash goes in E'…' where the dialect needs it; otherwise the only
  // escape is ''.
  const bool escaped =
      rules(d).backslash_string_prefix && text.find('\\') != std::string_view::npos;
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
