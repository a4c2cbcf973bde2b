// Strict machine output, as a property over hostile inputs run through the real
// binary (issue 25): every command that writes JSON, NDJSON or CSV, in every
// machine format it offers, over transaction logs, summaries, lifespan records,
// survival counts and scenarios holding huge and tiny numbers, control
// characters, invalid UTF-8, very long ids, empty fields and dates at the ends
// of the calendar, mixed with good rows so that the commands also produce real
// output. Whatever comes in, the run
//   - ends by itself with exit 0, 1 or 2 (no signal, no timeout);
//   - with exit 2, says why in exactly one stderr line `cltv: …` that is not an
//     internal error;
//   - writes valid UTF-8 without a NaN, nan, Infinity or inf token;
//   - writes JSON that parses under RFC 8259 (each NDJSON line one document),
//     every number in it finite when read back;
//   - writes RFC 4180 CSV whose every row has the header's field count, every
//     numeric field finite when read back.
// The inputs are generated from fixed seeds: first one case per hostile
// feature (with good rows around it), then random mixes. Each case's files
// stay in the scratch directory; a failure names the file and the command line.

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>  // getrusage: the sanitized binary at rest

#include "spawn.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define CLTV_HOSTILE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLTV_HOSTILE_SANITIZED 1
#endif
#endif

namespace {

using namespace std::string_literals;

enum class output_kind { json, ndjson, csv };

// Random mixes after the one-feature cases. The default set takes ~30 s in the
// ci preset (~2200 runs). A sanitized cltv (Debug, ASan + UBSan) takes ~0.4 s
// to start and exit here, so the sanitizer build runs no mixes and one in 12
// of each case's commands (CLTV_HOSTILE_CASES, CLTV_HOSTILE_SAMPLE, set by
// tests/CMakeLists.txt): ~150 runs.
int random_case_count() {
  const char* env = std::getenv("CLTV_HOSTILE_CASES");
  return env && *env ? std::atoi(env) : 30;
}

std::size_t sample_every() {
  const char* env = std::getenv("CLTV_HOSTILE_SAMPLE");
  const int n = env && *env ? std::atoi(env) : 1;
  return n > 1 ? static_cast<std::size_t>(n) : 1;
}

output_kind kind_of(const std::string& format) {
  return format == "csv"      ? output_kind::csv
         : format == "ndjson" ? output_kind::ndjson
                              : output_kind::json;
}

// ---------------------------------------------------------------------------
// Running a command under a memory cap

// A hostile input may make cltv allocate without bound (a daily or monthly table
// from 0001-01-01 to 9999-12-31): that must end as an error, not take the
// machine's memory. The child alone runs under an address-space cap, through
// prlimit (util-linux, in every Debian); a limit set in this process would cap
// the test too. A sanitized build reserves terabytes of shadow memory, so
// there ASan's own soft RSS limit makes allocations fail instead: 256 MB above
// what the sanitized binary holds doing nothing (`cltv --version`), measured
// here, since that grows with the binary (about 300 MB for the debug build of
// 2026-12-06, over a fixed 256 MB limit once a run lasted long enough for
// ASan's periodic check to see it).
std::vector<std::string> memory_cap_wrapper() {
#ifdef CLTV_HOSTILE_SANITIZED
  static const bool set_env = [] {
    (void)cltv_test::run_cltv(cltv_test::command({"--version"}));
    rusage children{};
    ::getrusage(RUSAGE_CHILDREN, &children);  // the largest child waited for: at most that run
    const long at_rest_mb = children.ru_maxrss / 1024;
    const char* old = std::getenv("ASAN_OPTIONS");
    std::string opts = old && *old ? old + ":"s : "";
    opts +=
        "soft_rss_limit_mb=" + std::to_string(at_rest_mb + 256) + ":allocator_may_return_null=1";
    return ::setenv("ASAN_OPTIONS", opts.c_str(), 1) == 0;
  }();
  (void)set_env;
  return {};
#else
  return {"/usr/bin/prlimit", "--as=134217728", "--"};  // 128 MiB: a run takes ~8 MB
#endif
}

// ---------------------------------------------------------------------------
// Strict readers of the output

// The position of the first byte that is not part of well-formed UTF-8
// (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF), or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// A printable excerpt of bytes for a failure message: C escapes for control
// characters and bytes above 0x7E, at most `max` input bytes.
std::string escaped(std::string_view s, std::size_t max = 300) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c > 0x7E) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max) out += "… (" + std::to_string(s.size()) + " bytes)";
  return out;
}

// Shortest text that reads back as exactly x.
std::string num(double x) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, ptr);
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The first whole word nan, inf or infinity (any case: NaN, -nan, Infinity,
// INF) anywhere in the output, or "". A non-finite number printed by printf,
// iostream or a JSON library looks like one of these; no id the generator
// makes is one.
std::string non_finite_word(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (!is_word_char(s[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && is_word_char(s[end])) ++end;
    std::string word(s.substr(i, end - i));
    std::transform(word.begin(), word.end(), word.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (word == "nan" || word == "inf" || word == "infinity") {
      const std::size_t from = i > 30 ? i - 30 : 0;
      return std::string(s.substr(i, end - i)) + " at byte " + std::to_string(i) + ": " +
             escaped(s.substr(from, end - from + 10), 80);
    }
    i = end;
  }
  return "";
}

// A field that is a number by the JSON grammar (what cltv prints for numbers).
bool looks_numeric(std::string_view f) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
    return i > from;
  };
  if (i < f.size() && f[i] == '-') ++i;
  if (!digits()) return false;
  if (i < f.size() && f[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < f.size() && (f[i] == 'e' || f[i] == 'E')) {
    ++i;
    if (i < f.size() && (f[i] == '+' || f[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == f.size();
}

// Reads a numeric field back as a double reader does: overflow gives ±inf
// (strtod), which is what a consumer of the file would get.
bool reads_back_finite(const std::string& f) {
  return std::isfinite(std::strtod(f.c_str(), nullptr));
}

struct csv_table {
  std::vector<std::vector<std::string>> rows;
  std::string error;  // empty: the text is strict RFC 4180 (with LF line ends)
};

// A strict RFC 4180 reader. Records end with LF, the line end cltv writes
// everywhere (RFC 4180 names CRLF; a tool that reads CSV takes either), and the
// last record ends with one too: a missing final line end is a truncated write.
// Control characters: RFC 4180's grammar admits none outside quoted fields (so
// a bare CR is refused) and only CR and LF inside them (§2.6), which is all
// that quoting exists for. A NUL, an ESC or a DEL is never data in a CSV cell:
// it truncates C strings and drives terminals. So any C0 control character or
// DEL other than those is an error, quoted or not. A quote may only open a
// field, close it, or be doubled inside a quoted field.
csv_table split_csv(std::string_view s) {
  csv_table t;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  auto fail = [&](const std::string& what) {
    t.error = what + " at byte " + std::to_string(i) + " (record " +
              std::to_string(t.rows.size() + 1) + ", field " + std::to_string(row.size() + 1) + ")";
    return t;
  };
  auto control = [](unsigned char c) { return c < 0x20 || c == 0x7F; };
  while (i < s.size()) {  // one record
    row.clear();
    for (;;) {  // one field
      field.clear();
      if (i < s.size() && s[i] == '"') {
        ++i;
        for (;;) {
          if (i >= s.size()) return fail("unterminated quoted field");
          const auto c = static_cast<unsigned char>(s[i]);
          if (c == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (control(c) && c != '\r' && c != '\n')
            return fail("control character in quoted field");
          field += static_cast<char>(c);
          ++i;
        }
        if (i < s.size() && s[i] != ',' && s[i] != '\n') return fail("text after closing quote");
      } else {
        while (i < s.size() && s[i] != ',' && s[i] != '\n') {
          const auto c = static_cast<unsigned char>(s[i]);
          if (c == '"') return fail("quote inside unquoted field");
          if (control(c)) return fail("control character in unquoted field");
          field += static_cast<char>(c);
          ++i;
        }
      }
      row.push_back(field);
      if (i >= s.size()) return fail("no line end after the last record");
      if (s[i++] == '\n') break;
    }
    t.rows.push_back(row);
  }
  return t;
}

// The first record whose field count differs from the header's, or "".
std::string csv_field_count_error(const csv_table& t) {
  for (std::size_t k = 1; k < t.rows.size(); ++k) {
    if (t.rows[k].size() != t.rows.front().size())
      return "record " + std::to_string(k + 1) + " has " + std::to_string(t.rows[k].size()) +
             " fields, the header " + std::to_string(t.rows.front().size());
  }
  return "";
}

// The first numeric field that reads back as ±inf, or "".
std::string csv_non_finite_field(const csv_table& t) {
  for (std::size_t k = 0; k < t.rows.size(); ++k) {
    for (std::size_t i = 0; i < t.rows[k].size(); ++i) {
      const std::string& f = t.rows[k][i];
      if (looks_numeric(f) && !reads_back_finite(f))
        return "record " + std::to_string(k + 1) + ", field " + std::to_string(i + 1) + ": " + f +
               " reads back as " + num(std::strtod(f.c_str(), nullptr));
    }
  }
  return "";
}

// The JSON path of the first number that is not finite, or "".
std::string non_finite_number(const nlohmann::json& j, const std::string& path = "$") {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) return path;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      std::string p = non_finite_number(v, path + "." + k);
      if (!p.empty()) return p;
    }
  } else if (j.is_array()) {
    for (std::size_t k = 0; k < j.size(); ++k) {
      std::string p = non_finite_number(j[k], path + "[" + std::to_string(k) + "]");
      if (!p.empty()) return p;
    }
  }
  return "";
}

// Parses one JSON document; the error, or "" when it parses and all its
// numbers are finite.
std::string strict_json(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    return "not RFC 8259 JSON with finite numbers: "s + e.what();
  }
  const std::string bad = non_finite_number(j);
  return bad.empty() ? "" : "the number at " + bad + " is not finite when read back";
}

// ---------------------------------------------------------------------------
// The runs

std::string shell_quoted(const std::string& a) {
  const bool plain = !a.empty() && std::all_of(a.begin(), a.end(), [](char c) {
    return is_word_char(c) || std::string_view("./=:,%+-@").find(c) != std::string_view::npos;
  });
  if (plain) return a;
  std::string q = "'";
  for (char c : a) q += c == '\'' ? "'\\''"s : std::string(1, c);
  return q + "'";
}

std::string command_line(const std::vector<std::string>& args) {
  std::string s = CLTV_BINARY;
  for (const auto& a : args) s += " " + shell_quoted(a);
  return s;
}

struct run_spec {
  std::vector<std::string> args;
  output_kind kind = output_kind::json;
  std::string input;  // the file the case is about (also in args), for the message
  std::string about;  // what is hostile in it
};

int total_runs = 0;

// Runs one command and checks its output strictly; returns the result for the
// callers that need it (the setup's model files).
cltv_test::run_result check_run(const run_spec& spec) {
  cltv_test::run_options o = cltv_test::command(spec.args);
  o.timeout_seconds = 60;
  o.wrapper = memory_cap_wrapper();
  const cltv_test::run_result r = cltv_test::run_cltv(o);
  ++total_runs;
  INFO("command: " << command_line(spec.args));
  INFO("input: " << spec.input << " (" << spec.about << ")");
  INFO("exit " << r.exit_code << ", signal " << r.signal << ", " << r.seconds
               << " s; stderr: " << escaped(r.err));
  INFO("stdout: " << escaped(r.out));

  CHECK_FALSE(r.timed_out);
  CHECK(r.signal == 0);
  CHECK((r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2));
  const bool sanitizer_report = r.err.find("Sanitizer") != std::string::npos ||
                                r.err.find("runtime error:") != std::string::npos;
  CHECK_FALSE(sanitizer_report);
  if (r.exit_code == 2) {
    CHECK(r.err.rfind("cltv: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(!r.err.empty());
    if (!r.err.empty()) CHECK(r.err.back() == '\n');
    CHECK(r.err.find("internal error") == std::string::npos);
  }
  if (r.timed_out || r.signal != 0) return r;

  const std::size_t bad_utf8 = invalid_utf8_at(r.out);
  const std::string utf8_error =
      bad_utf8 == std::string_view::npos
          ? ""
          : "byte " + std::to_string(bad_utf8) + " is not UTF-8: " +
                escaped(std::string_view(r.out).substr(bad_utf8 > 20 ? bad_utf8 - 20 : 0, 40));
  CHECK(utf8_error == "");
  const std::string word = non_finite_word(r.out);
  CHECK(word == "");

  // With exit 2, an empty stdout is a clean refusal; otherwise what was
  // written must stand on its own. A success always writes something, except
  // an NDJSON stream of no records.
  const bool ok = r.exit_code == 0 || r.exit_code == 1;
  switch (spec.kind) {
    case output_kind::json: {
      if (r.out.empty()) {
        CHECK_FALSE(ok);
        break;
      }
      const std::string error = strict_json(r.out);
      CHECK(error == "");
      break;
    }
    case output_kind::ndjson: {
      if (!r.out.empty()) CHECK(r.out.back() == '\n');
      std::size_t line = 0;
      for (std::size_t at = 0; at < r.out.size();) {
        std::size_t nl = r.out.find('\n', at);
        if (nl == std::string::npos) nl = r.out.size();
        ++line;
        INFO("NDJSON line " << line);
        const std::string error = strict_json(std::string_view(r.out).substr(at, nl - at));
        CHECK(error == "");
        at = nl + 1;
      }
      break;
    }
    case output_kind::csv: {
      if (r.out.empty()) {
        CHECK_FALSE(ok);
        break;
      }
      const csv_table t = split_csv(r.out);
      CHECK(t.error == "");
      if (!t.error.empty()) break;
      CHECK(csv_field_count_error(t) == "");
      CHECK(csv_non_finite_field(t) == "");
      break;
    }
  }
  return r;
}

// ---------------------------------------------------------------------------
// Building inputs

std::string date_text(int days_after_2024_01_01) {
  using namespace std::chrono;
  const year_month_day d{sys_days{year{2024} / January / 1} + days{days_after_2024_01_01}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// One CSV field as a producer writes it: quoted when it holds a separator, a
// quote or a line break.
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) q += c == '"' ? "\"\""s : std::string(1, c);
  return q + "\"";
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string s;
  for (std::size_t i = 0; i < fields.size(); ++i) s += (i ? "," : "") + csv_field(fields[i]);
  return s + "\n";
}

// Amounts and counts at the edges, as text (the text itself matters: 1e15 and
// 1000000000000000 are the same double, 999999999999999.99 is not a double).
const std::vector<std::string> huge_and_tiny = {
    "1e15",
    "999999999999999.99",
    "1000000000000000.01",
    "1e16",
    "1e308",
    "1.7976931348623157e308",
    "5e-324",
    "2.2250738585072014e-308",
    "1e-300",
    "-0",
    "0.1234567890123456789012345678901234567890",
    "123456789012.123456789012345678901234567890",
    "0.005",
};

// Ids a bad export holds: control characters, a NUL, invalid UTF-8, long ids.
const std::vector<std::pair<std::string, std::string>> hostile_ids = {
    {"a\x01"
     "b",
     "id with U+0001"},
    {"tab\there", "id with a tab"},
    {"esc\x1b[31mred", "id with an ESC sequence"},
    {"nul\0byte"s, "id with a NUL byte"},
    {"cr\rid", "id with a CR (quoted)"},
    {"lf\nid", "id with a LF (quoted)"},
    {"del\x7f", "id with DEL"},
    {"nel\xC2\x85", "id with U+0085 (C1 control)"},
    {"\xFF\xFE", "id of bytes FF FE (not UTF-8)"},
    {"caf\xE9", "id in Latin-1 (not UTF-8)"},
    {"over\xC0\xAF", "id with an overlong encoding"},
    {"sur\xED\xA0\x80", "id with an encoded surrogate"},
    {"cut\xE2\x82", "id with a truncated sequence"},
    {"big\xF4\x90\x80\x80", "id above U+10FFFF"},
    {std::string(65535, 'x'), "id of 65535 bytes"},
    {std::string(65536, 'y'), "id of 65536 bytes"},
    {[] {
       std::string s;
       for (int i = 0; i < 32768; ++i) s += "\xC3\xA9";
       return s;
     }(),
     "id of 65536 bytes of U+00E9"},
    {"a \"quoted\", id", "id with quotes and a comma (valid)"},
};

// A transaction log: good customers with a few purchases in the first half
// of 2024, plus what the features add.
struct log_builder {
  std::string text = "customer_id,date,amount\n";
  std::vector<std::string> about;

  void purchase(const std::string& id, const std::string& date, const std::string& amount) {
    text += csv_row({id, date, amount});
  }
  void raw(const std::string& line) { text += line; }
};

void good_log_rows(log_builder& b, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> day(0, 181), purchases(1, 6), cents(100, 50000);
  for (int c = 1; c <= 10; ++c) {
    const int n = purchases(rng);
    for (int k = 0; k < n; ++k) {
      const int ct = cents(rng);
      b.purchase(
          "g" + std::to_string(c), date_text(day(rng)),
          std::to_string(ct / 100) + "." + (ct % 100 < 10 ? "0" : "") + std::to_string(ct % 100));
    }
  }
}

using log_feature = std::function<void(log_builder&)>;

std::vector<std::pair<std::string, log_feature>> log_features() {
  std::vector<std::pair<std::string, log_feature>> f;
  for (const std::string& a : huge_and_tiny) {
    f.emplace_back("three purchases of " + a + " in three months, two more on one day",
                   [a](log_builder& b) {
                     b.purchase("h1", "2024-01-10", a);
                     b.purchase("h1", "2024-02-10", a);
                     b.purchase("h1", "2024-03-10", a);
                     b.purchase("h2", "2024-02-01", a);
                     b.purchase("h2", "2024-02-01", a);
                     b.purchase("h2", "2024-05-01", "10.00");
                   });
  }
  f.emplace_back("2000 purchases of 999999999999999.99 by one customer", [](log_builder& b) {
    for (int k = 0; k < 2000; ++k) b.purchase("many", date_text(k % 182), "999999999999999.99");
  });
  f.emplace_back("3000 purchases of 0.01 by one customer on one day", [](log_builder& b) {
    for (int k = 0; k < 3000; ++k) b.purchase("pennies", "2024-03-03", "0.01");
  });
  for (const auto& [id, what] : hostile_ids) {
    f.emplace_back(what, [id = id](log_builder& b) {
      b.purchase(id, "2024-01-15", "12.50");
      b.purchase(id, "2024-04-15", "7.25");
    });
  }
  f.emplace_back("an empty id", [](log_builder& b) { b.raw(",2024-02-02,5.00\n"); });
  f.emplace_back("an empty date", [](log_builder& b) { b.raw("e1,,5.00\n"); });
  f.emplace_back("an empty amount", [](log_builder& b) { b.raw("e2,2024-02-02,\n"); });
  f.emplace_back("a row of empty fields", [](log_builder& b) { b.raw(",,\n"); });
  f.emplace_back("a row with two fields", [](log_builder& b) { b.raw("e3,2024-02-02\n"); });
  f.emplace_back("a row with four fields", [](log_builder& b) { b.raw("e4,2024-02-02,1,2\n"); });
  f.emplace_back("purchases on 0001-01-01 and 9999-12-31", [](log_builder& b) {
    b.purchase("ends", "0001-01-01", "3.00");
    b.purchase("ends", "9999-12-31", "4.00");
  });
  f.emplace_back("a purchase on 0001-01-01", [](log_builder& b) {
    b.purchase("first", "0001-01-01", "3.00");
    b.purchase("first", "2024-01-02", "4.00");
  });
  f.emplace_back("a purchase on 9999-12-31", [](log_builder& b) {
    b.purchase("last", "2024-01-02", "3.00");
    b.purchase("last", "9999-12-31", "4.00");
  });
  return f;
}

// An RFM summary: customers drawn from a BG/NBD purchase process (a daily
// rate from a gamma, a dropout chance after each purchase) and Gamma-Gamma
// spend (p = 6, q = 4, gamma = 15), so that both models fit; T in days.
struct summary_builder {
  std::string text = "customer_id,frequency,recency,T,monetary_value\n";
  void row(const std::string& id, const std::string& x, const std::string& tx, const std::string& t,
           const std::string& m) {
    text += csv_row({id, x, tx, t, m});
  }
};

std::string two_decimals(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

void good_summary_rows(summary_builder& b, std::mt19937_64& rng, int customers) {
  std::gamma_distribution<double> rate(0.8, 0.02), nu(4, 1.0 / 15);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> age(60, 365);
  for (int c = 1; c <= customers; ++c) {
    const double T = age(rng), lambda = rate(rng), p_drop = 0.3 * unit(rng);
    int x = 0;
    double t = 0, tx = 0;
    for (;;) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > T) break;
      ++x;
      tx = t;
      if (unit(rng) < p_drop) break;
    }
    double m = 0;
    if (x > 0) {
      const double v = nu(rng);
      m = std::gamma_distribution<double>(6.0 * x, 1 / (v * x))(rng);
    }
    // Round recency down so that it stays within T.
    b.row("s" + std::to_string(c), std::to_string(x), two_decimals(std::floor(tx * 100) / 100),
          std::to_string(static_cast<int>(T)), two_decimals(m));
  }
}

using summary_feature = std::function<void(summary_builder&)>;

std::vector<std::pair<std::string, summary_feature>> summary_features() {
  std::vector<std::pair<std::string, summary_feature>> f;
  auto add = [&](const std::string& what, std::string x, std::string tx, std::string t,
                 std::string m) {
    f.emplace_back(what, [=](summary_builder& b) { b.row("h", x, tx, t, m); });
  };
  add("T 1e300", "2", "10", "1e300", "20");
  add("T and recency 1e300", "2", "1e300", "1e300", "20");
  add("T 1.7976931348623157e308", "3", "100", "1.7976931348623157e308", "20");
  add("T 5e-324, no purchases", "0", "0", "5e-324", "0");
  add("recency and T 5e-324", "1", "5e-324", "5e-324", "20");
  add("frequency 2^53", "9007199254740992", "10", "20", "20");
  add("frequency 2^53 - 1", "9007199254740991", "10", "20", "20");
  add("frequency 1e300", "1e300", "10", "20", "20");
  add("monetary value 1e308", "3", "10", "20", "1e308");
  add("monetary value 1.7976931348623157e308", "3", "10", "20", "1.7976931348623157e308");
  add("monetary value 5e-324", "3", "10", "20", "5e-324");
  add("monetary value 1e-300", "3", "10", "20", "1e-300");
  add("values -0", "-0", "-0", "30", "-0");
  add("many-digit decimals", "2", "10.12345678901234567890123456789",
      "20.98765432109876543210987654321", "33.333333333333333333333333333");
  add("an empty frequency", "", "10", "20", "20");
  add("an empty T", "2", "10", "", "20");
  add("an empty monetary value", "2", "10", "20", "");
  for (const auto& [id, what] : hostile_ids) {
    f.emplace_back(what, [id = id](summary_builder& b) { b.row(id, "2", "30", "60", "25"); });
  }
  return f;
}

// Lifespan records (customer_id,start_date,end_date).
struct records_builder {
  std::string text = "customer_id,start_date,end_date\n";
  void row(const std::string& id, const std::string& start, const std::string& end) {
    text += csv_row({id, start, end});
  }
};

void good_records(records_builder& b, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> day(0, 600), len(1, 400);
  for (int c = 1; c <= 8; ++c) {
    const int start = day(rng) - 700;
    b.row("r" + std::to_string(c), date_text(start), c % 3 == 0 ? "" : date_text(start + len(rng)));
  }
}

using records_feature = std::function<void(records_builder&)>;

std::vector<std::pair<std::string, records_feature>> records_features() {
  std::vector<std::pair<std::string, records_feature>> f;
  f.emplace_back("a record from 0001-01-01 to 9999-12-31",
                 [](records_builder& b) { b.row("h", "0001-01-01", "9999-12-31"); });
  f.emplace_back("an open record from 0001-01-01",
                 [](records_builder& b) { b.row("h", "0001-01-01", ""); });
  f.emplace_back("a record ending 9999-12-31",
                 [](records_builder& b) { b.row("h", "2023-01-01", "9999-12-31"); });
  f.emplace_back("an empty start date", [](records_builder& b) { b.row("h", "", "2024-01-01"); });
  f.emplace_back("an end before the start",
                 [](records_builder& b) { b.row("h", "2024-01-01", "2023-01-01"); });
  for (const auto& [id, what] : hostile_ids) {
    f.emplace_back(what, [id = id](records_builder& b) { b.row(id, "2022-05-01", "2023-06-01"); });
  }
  return f;
}

// Years active per customer (--years-col).
std::vector<std::pair<std::string, std::string>> tenure_features() {
  std::vector<std::pair<std::string, std::string>> f;
  for (const std::string& y : huge_and_tiny) f.emplace_back("two customers of " + y + " years", y);
  return f;
}

std::string tenure_text(const std::string& years) {
  return "customer_id,years_active\nt1,1.5\nt2,3\nt3,0.25\nh1," + years + "\nh2," + years + "\n";
}

// Active counts per period for `fit sbg`.
std::vector<std::pair<std::string, std::vector<std::string>>> sbg_features() {
  return {
      {"counts from 1e15", {"1e15", "631000000000000", "468000000000000", "382000000000000"}},
      {"counts from 2^53 + 1",
       {"9007199254740993", "5684542484624372", "4215369324498744", "3440750215271058"}},
      {"counts from 1e300", {"1e300", "6.31e299", "4.68e299", "3.82e299"}},
      {"counts of 1.7976931348623157e308",
       {"1.7976931348623157e308", "1.7976931348623157e308", "1e308"}},
      {"counts 1, 0, 0", {"1", "0", "0"}},
      {"counts 1000, 5e-324", {"1000", "5e-324"}},
      {"counts -0", {"1000", "-0"}},
      {"an empty count", {"1000", "", "400"}},
  };
}

std::string sbg_text(const std::vector<std::string>& counts) {
  std::string s = "period,active\n";
  for (std::size_t k = 0; k < counts.size(); ++k) s += std::to_string(k) + "," + counts[k] + "\n";
  return s;
}

// Scenario records at the edges (NDJSON); each case also puts good records
// around its hostile one.
std::vector<std::pair<std::string, std::string>> scenario_features() {
  return {
      {"arpu 1e308", R"({"arpu": 1e308, "churn": "4%", "cac": 300})"},
      {"arpu 1.7976931348623157e308 and churn 50%",
       R"({"arpu": 1.7976931348623157e308, "churn": 0.5, "cac": 300})"},
      {"arpu 5e-324", R"({"arpu": 5e-324, "churn": "4%", "cac": 300})"},
      {"churn 1e-300 over 10000 periods",
       R"({"arpu": 50, "churn": 1e-300, "horizon": 10000, "cac": 300})"},
      {"churn 5e-324 and discount 1e-300",
       R"({"arpu": 50, "churn": 5e-324, "discount_rate": 1e-300, "cac": 300})"},
      {"churn 0.9999999999999999", R"({"arpu": 50, "churn": 0.9999999999999999, "cac": 300})"},
      {"cac 5e-324", R"({"arpu": 50, "churn": "4%", "cac": 5e-324})"},
      {"cac 1e308", R"({"arpu": 50, "churn": "4%", "cac": 1e308})"},
      {"discount rate 1e300", R"({"arpu": 50, "churn": "4%", "discount_rate": 1e300, "cac": 300})"},
      {"discount rate 5e-324",
       R"({"arpu": 50, "churn": "4%", "discount_rate": 5e-324, "cac": 300})"},
      {"expansion 99% with churn 1%, 10000 periods",
       R"({"arpu": 1e300, "churn": "1%", "expansion": 0.99, "horizon": 10000, "cac": 300})"},
      {"gross margin 5e-324", R"({"arpu": 50, "churn": "4%", "gross_margin": 5e-324, "cac": 300})"},
      {"cost to serve 1e308", R"({"arpu": 50, "churn": "4%", "cost_to_serve": 1e308, "cac": 300})"},
      {"customer counts 1e300 and 1",
       R"({"arpu": 50, "customers_start": 1e300, "customers_lost": 1, "horizon": 100, "cac": 300})"},
      {"aov 1e300 times purchase frequency 1e300",
       R"({"aov": 1e300, "purchase_frequency": 1e300, "churn": "4%", "cac": 300})"},
      {"lifetime 1e300", R"({"arpu": 50, "lifetime": 1e300, "cac": 300})"},
      {"max payback 1e300", R"({"arpu": 50, "churn": "4%", "cac": 300, "max_payback": 1e300})"},
      {"target 1e300", R"({"arpu": 50, "churn": "4%", "cac": 300, "target": 1e300})"},
      {"target 5e-324", R"({"arpu": 50, "churn": "4%", "cac": 300, "target": 5e-324})"},
      {"an id with a NUL escape", R"({"id": "a\u0000b", "arpu": 50, "churn": "4%", "cac": 300})"},
      {"an id of invalid UTF-8", "{\"id\": \"caf\xE9\", \"arpu\": 50, \"churn\": \"4%\"}"},
  };
}

// `cltv convert` takes its values as flags.
std::vector<std::vector<std::string>> convert_features() {
  return {
      {"--churn", "99.9999999999%", "--arpu", "1e308", "--discount-rate", "1e300", "--to", "year"},
      {"--churn", "5e-324", "--arpu", "5e-324", "--discount-rate", "5e-324", "--to", "month"},
      {"--arpu", "1.7976931348623157e308", "--to", "month"},
      {"--arpu", "1.7976931348623157e308", "--to", "year"},
      {"--discount-rate", "1.7976931348623157e308", "--to", "month"},
      {"--churn", "0.9999999999999999", "--to", "month"},
      {"--arpu", "-0", "--churn", "-0", "--to", "year"},
      {"--arpu", "1e-300", "--discount-rate", "-0.9999999999", "--to", "year"},
      {"--churn", "1e-300", "--discount-rate", "1e-300", "--to", "year"},
  };
}

// A number at a random magnitude and in a random spelling, for the mixes.
std::string random_number(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 4);
  std::uniform_real_distribution<double> exponent(-330, 309), mantissa(1, 10);
  char buf[128];
  switch (kind(rng)) {
    case 0:
      return huge_and_tiny[std::uniform_int_distribution<std::size_t>(
          0, huge_and_tiny.size() - 1)(rng)];
    case 1:
      std::snprintf(buf, sizeof buf, "%.17g", mantissa(rng) * std::pow(10.0, exponent(rng)));
      return buf;
    case 2:  // many digits, fixed notation
      std::snprintf(buf, sizeof buf, "%.30f", mantissa(rng) * std::pow(10.0, exponent(rng) / 40));
      return buf;
    case 3:  // near 2^53
      return std::to_string((std::uint64_t{1} << 53) +
                            std::uniform_int_distribution<std::uint64_t>(0, 4)(rng) - 2);
    default:
      return num(mantissa(rng) * std::pow(10.0, exponent(rng)));
  }
}

// ---------------------------------------------------------------------------
// The command sets

struct models {
  std::string bgnbd, gamma_gamma;
};

using format_list = std::vector<std::string>;

std::vector<run_spec> log_commands(const std::string& path, const std::string& about,
                                   const models& m) {
  std::vector<run_spec> runs;
  auto run = [&](std::vector<std::string> args, output_kind kind) {
    runs.push_back({std::move(args), kind, path, about});
  };
  for (const std::string& f : format_list{"csv", "ndjson", "json"}) {
    run({"summarize", path, "--format", f}, kind_of(f));
    run({"predict", "--model", m.bgnbd, "--model", m.gamma_gamma, "--log", path, "--horizon", "30",
         "--format", f},
        kind_of(f));
    run({"clv", "--log", path, "--model", m.bgnbd, "--model", m.gamma_gamma, "--format", f},
        kind_of(f));
  }
  run({"summarize", path, "--freq", "M", "--skip-bad-rows", "--calibration-end", "2024-03-31"},
      output_kind::csv);
  for (const std::string& f : format_list{"csv", "json"}) {
    run({"metrics", path, "--format", f, "--cac", "100"}, kind_of(f));
    run({"metrics", path, "--by", "cohort", "--format", f}, kind_of(f));
    run({"metrics", path, "--period", "year", "--skip-bad-rows", "--format", f}, kind_of(f));
    run({"backtest", path, "--calibration-end", "2024-03-31", "--format", f}, kind_of(f));
  }
  run({"metrics", path, "--emit-scenario"}, output_kind::json);
  run({"clv", "--log", path, "--format", "json"}, output_kind::json);  // fits both models
  run({"clv", "--log", path, "--model", m.bgnbd, "--model", m.gamma_gamma, "--horizon", "2",
       "--cash-flows"},
      output_kind::ndjson);
  return runs;
}

std::vector<run_spec> summary_commands(const std::string& path, const std::string& about,
                                       const models& m) {
  std::vector<run_spec> runs;
  auto run = [&](std::vector<std::string> args, output_kind kind) {
    runs.push_back({std::move(args), kind, path, about});
  };
  run({"fit", "bgnbd", path, "--time-unit", "days"}, output_kind::json);
  run({"fit", "gamma-gamma", path, "--time-unit", "days"}, output_kind::json);
  for (const std::string& f : format_list{"csv", "ndjson", "json"}) {
    run({"predict", "--model", m.bgnbd, "--model", m.gamma_gamma, path, "--time-unit", "days",
         "--horizon", "30", "--format", f},
        kind_of(f));
    run({"clv", path, "--model", m.bgnbd, "--model", m.gamma_gamma, "--time-unit", "days",
         "--format", f},
        kind_of(f));
  }
  run({"clv", path, "--time-unit", "days", "--format", "json"}, output_kind::json);  // fits
  run({"clv", path, "--time-unit", "days", "--spend-from-summary", "--model", m.bgnbd, "--horizon",
       "2", "--cash-flows"},
      output_kind::ndjson);
  return runs;
}

std::vector<run_spec> lifespan_commands(const std::string& path, const std::string& about,
                                        const std::vector<std::string>& extra) {
  std::vector<run_spec> runs;
  for (const std::string& f : format_list{"csv", "json"}) {
    std::vector<std::string> args{"lifespan", path, "--format", f};
    args.insert(args.end(), extra.begin(), extra.end());
    runs.push_back({args, kind_of(f), path, about});
  }
  return runs;
}

std::vector<run_spec> scenario_commands(const std::string& batch, const std::string& single,
                                        const std::string& about) {
  std::vector<run_spec> runs;
  for (const std::string& f : format_list{"csv", "ndjson", "json"}) {
    for (const char* command : {"calc", "check", "solve"})
      runs.push_back({{command, "--input", batch, "--format", f}, kind_of(f), batch, about});
    runs.push_back({{"solve", "churn", "--input", batch, "--format", f}, kind_of(f), batch, about});
    runs.push_back(
        {{"grid", "--input", single, "--vary", "churn=0.0001%,4%,99.9999%", "--format", f},
         kind_of(f),
         single,
         about});
    runs.push_back({{"grid", "--input", single, "--vary", "arpu=0..1e308:3", "--vary",
                     "cac=5e-324,1e308", "--metric", "net_value", "--format", f},
                    kind_of(f),
                    single,
                    about});
    if (f == "ndjson") continue;  // plot writes one document: csv or json
    for (const char* chart : {"payback", "survival"})
      runs.push_back(
          {{"plot", chart, "--input", single, "--format", f}, kind_of(f), single, about});
    runs.push_back(
        {{"plot", "grid", "--input", single, "--vary", "churn=0.0001%,4%,99.9999%", "--format", f},
         kind_of(f),
         single,
         about});
  }
  return runs;
}

std::vector<run_spec> convert_commands(const std::vector<std::string>& flags) {
  std::vector<run_spec> runs;
  for (const std::string& f : format_list{"csv", "json"}) {
    std::vector<std::string> args{"convert"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"--format", f});
    runs.push_back({args, kind_of(f), "(flags only)", "convert flags"});
  }
  return runs;
}

// Runs a case's commands: all of them, or with CLTV_HOSTILE_SAMPLE=N one in
// N, starting one further along at each case, so that N cases in a row cover
// every command of a family.
void run_case(const std::vector<run_spec>& runs) {
  static const std::size_t every = sample_every();
  static std::size_t turn = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if ((i + turn) % every == 0) check_run(runs[i]);
  }
  ++turn;
}

std::string case_name(const char* family, int k, const char* ext) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "hostile-%s-%03d.%s", family, k, ext);
  return cltv_test::scratch_path(buf);
}

}  // namespace

TEST_CASE("hostile inputs: every machine output is strict JSON, NDJSON or CSV",
          "[hostile-output]") {
  const auto start = std::chrono::steady_clock::now();

  // Model files for predict and clv, fitted on a good summary (in days).
  models m;
  {
    std::mt19937_64 rng(2025);
    summary_builder b;
    good_summary_rows(b, rng, 150);
    const std::string path = cltv_test::scratch_path("hostile-good-summary.csv");
    cltv_test::write_file(path, b.text);
    m.bgnbd = cltv_test::scratch_path("hostile-bgnbd.json");
    m.gamma_gamma = cltv_test::scratch_path("hostile-gamma-gamma.json");
    const auto bg = check_run(
        {{"fit", "bgnbd", path, "--time-unit", "days"}, output_kind::json, path, "good summary"});
    REQUIRE(bg.exit_code == 0);
    cltv_test::write_file(m.bgnbd, bg.out);
    const auto gg = check_run({{"fit", "gamma-gamma", path, "--time-unit", "days"},
                               output_kind::json,
                               path,
                               "good summary"});
    REQUIRE(gg.exit_code == 0);
    cltv_test::write_file(m.gamma_gamma, gg.out);
  }

  const auto logs = log_features();
  const auto summaries = summary_features();
  const auto records = records_features();
  const auto tenures = tenure_features();
  const auto sbg = sbg_features();
  const auto scenarios = scenario_features();
  const auto converts = convert_features();

  // Writes and runs one case of each family from a list of feature indices.
  auto log_case = [&](int k, std::mt19937_64& rng, const std::vector<std::size_t>& pick,
                      const std::vector<std::string>& random_amounts) {
    log_builder b;
    good_log_rows(b, rng);
    std::string about;
    for (std::size_t i : pick) {
      logs[i].second(b);
      about += (about.empty() ? "" : "; ") + logs[i].first;
    }
    for (const std::string& a : random_amounts) {
      b.purchase("rnd", "2024-02-20", a);
      b.purchase("rnd", "2024-06-20", a);
      about += (about.empty() ? "" : "; ") + "two purchases of "s + a;
    }
    const std::string path = case_name("log", k, "csv");
    cltv_test::write_file(path, b.text);
    run_case(log_commands(path, about, m));
  };
  auto summary_case = [&](int k, std::mt19937_64& rng, const std::vector<std::size_t>& pick,
                          const std::vector<std::string>& random_values) {
    summary_builder b;
    good_summary_rows(b, rng, 40);
    std::string about;
    for (std::size_t i : pick) {
      summaries[i].second(b);
      about += (about.empty() ? "" : "; ") + summaries[i].first;
    }
    if (random_values.size() == 3) {
      b.row("rnd", "3", random_values[0], random_values[1], random_values[2]);
      about += (about.empty() ? "" : "; ") + "recency, T, monetary value "s + random_values[0] +
               ", " + random_values[1] + ", " + random_values[2];
    }
    const std::string path = case_name("summary", k, "csv");
    cltv_test::write_file(path, b.text);
    run_case(summary_commands(path, about, m));
  };
  auto scenario_case = [&](int k, std::mt19937_64& rng, const std::vector<std::size_t>& pick,
                           const std::string& random_arpu) {
    std::string text = R"({"id": "good1", "arpu": 50, "churn": "4%", "cac": 300})"
                       "\n";
    std::string about, single;
    for (std::size_t i : pick) {
      text += scenarios[i].second + "\n";
      about += (about.empty() ? "" : "; ") + scenarios[i].first;
      if (single.empty()) single = scenarios[i].second;
    }
    if (!random_arpu.empty()) {
      const std::string rec = R"({"arpu": )" + random_arpu + R"(, "churn": 0.0)" +
                              std::to_string(std::uniform_int_distribution<int>(1, 9)(rng)) +
                              R"(, "discount_rate": "1%", "cac": )" + random_arpu + "}";
      text += rec + "\n";
      about += (about.empty() ? "" : "; ") + "arpu and cac "s + random_arpu;
      if (single.empty()) single = rec;
    }
    text += R"({"id": "good2", "arpu": 49, "churn": "3.5%", "gross_margin": "80%", "cac": 600})"
            "\n";
    const std::string batch = case_name("scenarios", k, "ndjson");
    const std::string one = case_name("scenario", k, "json");
    cltv_test::write_file(batch, text);
    cltv_test::write_file(one, single + "\n");
    run_case(scenario_commands(batch, one, about));
  };

  // One case per feature.
  int k = 0;
  for (std::size_t i = 0; i < logs.size(); ++i, ++k) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(k));
    log_case(k, rng, {i}, {});
  }
  for (std::size_t i = 0; i < summaries.size(); ++i, ++k) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(k));
    summary_case(k, rng, {i}, {});
  }
  for (std::size_t i = 0; i < records.size(); ++i, ++k) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(k));
    records_builder b;
    good_records(b, rng);
    records[i].second(b);
    const std::string path = case_name("records", k, "csv");
    cltv_test::write_file(path, b.text);
    run_case(lifespan_commands(path, records[i].first, {}));
  }
  for (std::size_t i = 0; i < tenures.size(); ++i, ++k) {
    const std::string path = case_name("tenure", k, "csv");
    cltv_test::write_file(path, tenure_text(tenures[i].second));
    run_case(lifespan_commands(path, tenures[i].first, {"--years-col", "years_active"}));
  }
  for (std::size_t i = 0; i < sbg.size(); ++i, ++k) {
    const std::string path = case_name("sbg", k, "csv");
    cltv_test::write_file(path, sbg_text(sbg[i].second));
    run_case({{{"fit", "sbg", path}, output_kind::json, path, sbg[i].first}});
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i, ++k) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(k));
    scenario_case(k, rng, {i}, "");
  }
  for (const auto& flags : converts) run_case(convert_commands(flags));

  // Random mixes: one or two features of one family and random numbers.
  const int mixes = random_case_count();
  for (int r = 0; r < mixes; ++r, ++k) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(1000 + r));
    auto some = [&](std::size_t n) {
      std::vector<std::size_t> pick;
      const int count = std::uniform_int_distribution<int>(1, 2)(rng);
      for (int c = 0; c < count; ++c)
        pick.push_back(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
      return pick;
    };
    switch (r % 3) {
      case 0: {
        auto pick = some(logs.size());
        log_case(k, rng, pick, {random_number(rng)});
        break;
      }
      case 1: {
        auto pick = some(summaries.size());
        summary_case(k, rng, pick, {random_number(rng), random_number(rng), random_number(rng)});
        break;
      }
      default: {
        auto pick = some(scenarios.size());
        scenario_case(k, rng, pick, random_number(rng));
        break;
      }
    }
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN(total_runs << " runs over " << k << " cases in " << seconds << " s");
}
