#include "io/scenario_json.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "cltv/period.hpp"
#include "cltv/scenario_fields.hpp"
#include "io/json_scan.hpp"
#include "io/json_type_name.hpp"
#include "io/text.hpp"

static_assert(cltv::cli::json_padding >= simdjson::SIMDJSON_PADDING);

namespace cltv::cli {

std::string unknown_key_message(std::string_view key, std::string_view noun, bool with_segments) {
  std::string message = fmt::format("unknown {} \"{}\"", noun, printable(key));
  const std::string_view best = closest_field_name(key, {"id", "annual_price", "annual_churn"});
  if (!best.empty()) return message + " (did you mean \"" + std::string(best) + "\"?)";
  message += fmt::format(" (known {}s: ", noun);
  for (const scenario_field& field : scenario_fields) message += std::string(field.name) + ", ";
  return message + (with_segments ? "annual_price, annual_churn, id, segments)"
                                  : "annual_price, annual_churn, id)");
}

std::optional<double>* annual_plan_field(annual_plan_input& plan, std::string_view key,
                                         number_style& style) {
  style = key == "annual_churn" ? number_style::rate : number_style::plain;
  if (key == "annual_price") return &plan.annual_price;
  if (key == "annual_churn") return &plan.annual_churn;
  return nullptr;
}

namespace {

std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r'))
    token.remove_suffix(1);
  return token;
}

std::string syntax_message(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return "invalid JSON: the text is not valid UTF-8";
    case simdjson::TAPE_ERROR:
      return "invalid JSON: malformed or truncated (a missing value, comma, quote or brace)";
    case simdjson::UNCLOSED_STRING:
      return "invalid JSON: a string is not closed";
    case simdjson::DEPTH_ERROR:
      return "invalid JSON: nested too deeply";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "invalid JSON: the object is not closed (truncated record?)";
    case simdjson::EMPTY:
      return "invalid JSON: empty record";
    case simdjson::UNESCAPED_CHARS:
      return "invalid JSON: control character inside a string";
    case simdjson::STRING_ERROR:
      return "invalid JSON: bad escape in a string";
    default:
      return std::string("invalid JSON: ") + simdjson::error_message(code);
  }
}

namespace od = simdjson::ondemand;

// A failed number: a syntax error (field empty, code set) or a field error.
struct number_failure {
  std::string field;
  simdjson::error_code code = simdjson::SUCCESS;
  error err;
};

// A JSON number, or a string such as "4%" read as `style` says.
std::optional<number_failure> read_number(od::value& value, od::json_type type,
                                          std::string_view key, number_style style,
                                          double& number) {
  const std::string name(key);
  if (type == od::json_type::number) {
    if (value.get_double().get(number)) {
      const std::string_view raw = trimmed(value.raw_json_token());
      if (is_json_number(raw))
        return number_failure{
            name,
            {},
            {name, name + " is out of range (not a finite double), got " + printable(raw)}};
      return number_failure{name, {}, {name, name + " must be a number, got " + printable(raw)}};
    }
    number += 0.0;  // -0 → +0
    return std::nullopt;
  }
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto code = value.get_string().get(text)) return number_failure{"", code, {}};
    auto parsed = parse_number(key, text, style);
    if (!parsed) return number_failure{name, {}, std::move(parsed).error()};
    number = *parsed;
    return std::nullopt;
  }
  const char* expected = style == number_style::rate ? " must be a number or a percentage, got "
                                                     : " must be a number, got ";
  return number_failure{name, {}, {name, name + expected + json_type_name(type)}};
}

// "segment \"ads\": " once the name is known, else "segment 2: ".
std::string segment_prefix(const segment_input& seg, std::size_t index) {
  if (seg.name.empty()) return "segment " + std::to_string(index + 1) + ": ";
  return "segment \"" + printable(seg.name) + "\": ";
}

number_failure segment_failure(const segment_input& seg, std::size_t index,
                               const std::string& field, const std::string& message) {
  return {field, {}, {field, segment_prefix(seg, index) + message}};
}

// One object of "segments": its name, weight, billing and any scenario input.
std::optional<number_failure> read_segment(od::value& element, std::size_t index,
                                           segment_input& seg) {
  od::json_type type{};
  if (auto code = element.type().get(type)) return number_failure{"", code, {}};
  if (type != od::json_type::object)
    return segment_failure(seg, index, "segments",
                           std::string("must be a JSON object, got ") + json_type_name(type));
  od::object object;
  if (auto code = element.get_object().get(object)) return number_failure{"", code, {}};
  std::vector<std::string> seen;
  for (auto field_result : object) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) return number_failure{"", code, {}};
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return number_failure{"", code, {}};
    const std::string name(key);
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      return segment_failure(seg, index, name, "duplicate field \"" + printable(key) + "\"");
    seen.push_back(name);
    od::value value = field.value();
    if (auto code = value.type().get(type)) return number_failure{"", code, {}};
    if (key == "name" || key == "billing" || key == "period") {
      std::string_view text;
      if (type != od::json_type::string || value.get_string().get(text))
        return segment_failure(seg, index, name,
                               name + " must be a string, got " + json_type_name(type));
      if (key == "name") {
        if (text.empty()) return segment_failure(seg, index, "name", "name must not be empty");
        seg.name = text;
      } else if (auto set = set_segment_word(seg, key, text); !set) {
        return segment_failure(seg, index, set.error().field, set.error().message);
      }
      continue;
    }
    number_style style{};
    std::optional<double>* slot = segment_number_field(seg, key, style);
    if (!slot)
      return segment_failure(
          seg, index, name,
          "unknown field \"" + printable(key) +
              "\" (a segment takes name, customers or share, billing, annual_price, "
              "annual_churn, and any scenario field but id)");
    double number = 0;
    if (auto e = read_number(value, type, key, style, number)) {
      if (!e->field.empty()) e->err.message = segment_prefix(seg, index) + e->err.message;
      return e;
    }
    *slot = number;
  }
  return std::nullopt;
}

// "segments": a JSON array of segment objects.
std::optional<number_failure> read_segments(od::value& value, od::json_type type,
                                            std::vector<segment_input>& out) {
  if (type != od::json_type::array)
    return number_failure{
        "segments",
        {},
        {"segments",
         std::string("segments must be a JSON array of objects, got ") + json_type_name(type)}};
  od::array array;
  if (auto code = value.get_array().get(array)) return number_failure{"", code, {}};
  for (auto element_result : array) {
    od::value element;
    if (auto code = element_result.get(element)) return number_failure{"", code, {}};
    out.emplace_back();
    if (auto e = read_segment(element, out.size() - 1, out.back())) return e;
  }
  return std::nullopt;
}

// Whether the record's first value is complete, so that a parse error means
// content after it rather than a truncated object (simdjson says the same
// INCOMPLETE_ARRAY_OR_OBJECT for both).
bool first_value_closes(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end && is_json_space(*p)) ++p;
  std::size_t lines = 0;
  return p < end && json_value_end(p, end, lines) != nullptr;
}

// The record's "id" as raw JSON, for error records of records that failed
// before their id was read (error path only). Reuses the record's parser (its
// document is no longer needed): a parser per error record cost more than
// the parse itself in a batch of bad records. `record` has json_padding
// readable bytes after it.
std::string recover_id(od::parser& parser, std::string_view record) {
  od::document doc;
  od::value id;
  od::json_type type{};
  if (parser.iterate(record.data(), record.size(), record.size() + json_padding).get(doc) ||
      doc.find_field_unordered("id").get(id) || id.type().get(type) ||
      (type != od::json_type::string && type != od::json_type::number))
    return {};
  // Only an id the parser would accept (anything else would make the error
  // record invalid JSON), and printable (a control character refused is not
  // echoed into CSV).
  const std::string_view raw = trimmed(id.raw_json_token());
  if (type == od::json_type::string) {
    std::string_view text;
    if (id.get_string().get(text) || !unprintable_id("id", text).empty()) return {};
  } else if (double unused = 0; id.get_double().get(unused) || !is_json_number(raw)) {
    return {};
  }
  return std::string(raw);
}

// The JSON number at p, read in one pass: its grammar exactly
// (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?) and its value as the nearest double,
// which is what simdjson gives. Returns one past its end, or nullptr when p
// holds no JSON number or the value is out of double's range (simdjson's
// error, which the general parser words).
const char* read_json_number(const char* p, const char* end, double& x) {
  const char* const start = p;
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  std::uint64_t significand = 0;
  int digits = 0;    // digits gathered into the significand, leading zeros too
  int exponent = 0;  // x = significand × 10^exponent
  const auto gather = [&] {
    const char* from = p;
    for (; p < end && *p >= '0' && *p <= '9'; ++p) {
      if (digits < 19) significand = significand * 10 + static_cast<unsigned>(*p - '0');
      ++digits;
    }
    return p > from;
  };
  if (p < end && *p == '0') {
    ++p;
    digits = 1;
  } else if (!gather()) {
    return nullptr;
  }
  if (p < end && *p == '.') {
    ++p;
    const char* from = p;
    if (!gather()) return nullptr;
    exponent -= static_cast<int>(p - from);
  }
  bool small_exponent = true;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool minus = p < end && *p == '-';
    if (p < end && (*p == '+' || *p == '-')) ++p;
    int e = 0;
    const char* from = p;
    for (; p < end && *p >= '0' && *p <= '9'; ++p)
      if (e < 1000) e = e * 10 + (*p - '0');
    if (p == from) return nullptr;
    small_exponent = e < 1000;
    exponent += minus ? -e : e;
  }
  // Exact when the significand and the power of ten are both doubles (at most
  // 2^53 and 10^22): one multiplication or division then rounds correctly.
  static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (digits <= 19 && significand <= (std::uint64_t{1} << 53) && small_exponent &&
      exponent >= -22 && exponent <= 22) {
    const auto m = static_cast<double>(significand);
    x = exponent < 0 ? m / powers[-exponent] : m * powers[exponent];
    if (negative) x = -x;
  } else {  // many digits or a far exponent: libstdc++'s correctly rounded reader
    const auto [ptr, ec] = std::from_chars(start, p, x);
    if (ec != std::errc() || ptr != p) return nullptr;
  }
  if (!(std::fabs(x) <= std::numeric_limits<double>::max())) return nullptr;
  x += 0.0;  // -0 → +0
  return p;
}

// flat_field's table: a slot for each hash value, holding a field's index or
// no_field.
constexpr std::size_t field_slots = 256;
constexpr std::uint8_t no_field = 0xFF;

// A hash of a non-empty key's length and its first, middle and last letters.
constexpr std::size_t field_hash(std::string_view key) {
  const auto letter = [&](std::size_t at) {
    return std::size_t{static_cast<unsigned char>(key[at])};
  };
  return (key.size() * 131 + letter(0) * 31 + letter(key.size() - 1) * 7 + letter(key.size() / 2)) %
         field_slots;
}

// Every scenario field at its hash, the next free slot on a collision.
constexpr std::array<std::uint8_t, field_slots> make_field_table() {
  std::array<std::uint8_t, field_slots> table{};
  table.fill(no_field);
  for (std::size_t i = 0; i < scenario_fields.size(); ++i) {
    std::size_t at = field_hash(scenario_fields[i].name);
    while (table[at] != no_field) at = (at + 1) % field_slots;
    table[at] = static_cast<std::uint8_t>(i);
  }
  return table;
}

static_assert(scenario_fields.size() * 4 < field_slots);  // short probes, and a free slot
constexpr std::array<std::uint8_t, field_slots> field_table = make_field_table();

// The scenario field named `key`, or nullptr: find_scenario_field by a hash
// (comparing names one after the other took a tenth of a flat record's
// reading).
const scenario_field* flat_field(std::string_view key) {
  if (key.empty()) return nullptr;
  for (std::size_t at = field_hash(key); field_table[at] != no_field; at = (at + 1) % field_slots) {
    const scenario_field& field = scenario_fields[field_table[at]];
    if (field.name == key) return &field;
  }
  return nullptr;
}

}  // namespace

bool parse_flat_scenario(std::string_view record, parsed_scenario& out) {
  const char* p = record.data();
  const char* const end = p + record.size();
  const auto skip_space = [&] {
    while (p < end && is_json_space(*p)) ++p;
  };
  // A string of printable ASCII without escapes, quotes included; p after it.
  const auto plain_string = [&](std::string_view& token) {
    const char* const start = p;
    if (p == end || *p != '"') return false;
    for (++p; p < end && *p != '"'; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c >= 0x7F || c == '\\') return false;
    }
    if (p == end) return false;
    ++p;
    token = {start, static_cast<std::size_t>(p - start)};
    return true;
  };
  const auto number = [&](std::string_view& token, double& x) {
    const char* const stop = read_json_number(p, end, x);
    if (stop == nullptr) return false;
    token = {p, static_cast<std::size_t>(stop - p)};
    p = stop;
    return true;
  };

  std::array<bool, scenario_fields.size() + 1> seen{};  // the fields, then "id"
  skip_space();
  if (p == end || *p != '{') return false;
  ++p;
  skip_space();
  if (p < end && *p == '}') {
    ++p;
  } else {
    for (;;) {
      // The key up to the next quote, unchecked: only a known name is read
      // here, and a known name has neither escapes nor bytes to refuse (a key
      // with an escaped quote ends at its backslash and matches none).
      if (p == end || *p != '"') return false;
      const char* const quote =
          static_cast<const char*>(std::memchr(p + 1, '"', static_cast<std::size_t>(end - p - 1)));
      if (quote == nullptr) return false;
      const std::string_view key(p + 1, static_cast<std::size_t>(quote - p - 1));
      p = quote + 1;
      skip_space();
      if (p == end || *p != ':') return false;
      ++p;
      skip_space();
      std::string_view token;
      double x = 0;
      if (key == "id") {
        if (seen.back()) return false;
        seen.back() = true;
        if (!(p < end && *p == '"' ? plain_string(token) : number(token, x))) return false;
        out.id_json = token;
      } else if (number_style unused{};
                 std::optional<double>* slot = annual_plan_field(out.annual, key, unused)) {
        if (slot->has_value() || !number(token, x)) return false;
        *slot = x;
      } else {
        const scenario_field* field = flat_field(key);
        if (field == nullptr) return false;
        bool& was_seen = seen[static_cast<std::size_t>(field - scenario_fields.data())];
        if (was_seen) return false;
        was_seen = true;
        if (field->member == nullptr) {  // period
          if (!plain_string(token)) return false;
          const std::optional<period> unit = parse_period(token.substr(1, token.size() - 2));
          if (!unit) return false;
          out.input.period = *unit;
        } else {
          if (!number(token, x)) return false;
          out.input.*(field->member) = x;
        }
      }
      skip_space();
      if (p < end && *p == ',') {
        ++p;
        skip_space();
        continue;
      }
      if (p < end && *p == '}') {
        ++p;
        break;
      }
      return false;
    }
  }
  skip_space();
  return p == end;
}

// On Demand rather than DOM. Built for the baseline x86-64, On Demand runs
// simdjson's portable kernel, yet for records of a few dozen bytes it costs
// the same as the SIMD-dispatched DOM parser (measured on the 1M-scenario
// bench: 0.76 s either way), and it gives the raw text of each value: errors
// quote what the user wrote, and integers beyond 64 bits read as the nearest
// double (an "id" keeps its digits) instead of failing.
struct scenario_parser::impl {
  od::parser parser;
};

scenario_parser::scenario_parser() : impl_(std::make_unique<impl>()) {}
scenario_parser::~scenario_parser() = default;

namespace {

void clear(parsed_scenario& out) {
  out.input = {};
  out.id_json.clear();
  out.segments.clear();
  out.has_segments = false;
  out.annual = {};
}

}  // namespace

// Most records are flat objects of numbers: read by hand, without simdjson's
// validation pass and value iterator, the parse takes about 30 % fewer
// instructions (bench/RESULTS.md, 2026-12-06).
bool scenario_parser::parse(std::string_view record, parsed_scenario& out, error& err) {
  clear(out);
  if (parse_flat_scenario(record, out)) return true;
  return parse_general(record, out, err);
}

bool scenario_parser::parse_general(std::string_view record, parsed_scenario& out, error& err) {
  clear(out);
  auto fail = [&](error e) {
    err = std::move(e);
    if (out.id_json.empty()) out.id_json = recover_id(impl_->parser, record);
    return false;
  };
  auto fail_syntax = [&](simdjson::error_code code) {
    if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT && first_value_closes(record))
      return fail(error{"", "invalid JSON: unexpected content after the scenario object"});
    return fail(error{"", syntax_message(code)});
  };

  od::document doc;
  if (auto code = impl_->parser.iterate(record.data(), record.size(), record.size() + json_padding)
                      .get(doc))
    return fail_syntax(code);
  od::json_type top{};
  if (auto code = doc.type().get(top)) return fail_syntax(code);
  if (top != od::json_type::object) {
    // type() looks at the first byte only: "not json" starts like null.
    bool scalar_ok = true;
    if (top == od::json_type::null) {
      bool is_null = false;
      scalar_ok = !doc.is_null().get(is_null) && is_null;
    } else if (top == od::json_type::boolean) {
      bool unused = false;
      scalar_ok = !doc.get_bool().get(unused);
    } else if (top == od::json_type::number) {
      double unused = 0;
      scalar_ok = !doc.get_double().get(unused);
    }
    if (!scalar_ok) return fail(error{"", "invalid JSON: expected a JSON object (a scenario)"});
    return fail(
        error{"", std::string("expected a JSON object (a scenario), got ") + json_type_name(top)});
  }
  od::object object;
  if (auto code = doc.get_object().get(object)) return fail_syntax(code);

  std::array<bool, scenario_fields.size() + 1> seen{};  // the fields, then "id"
  for (auto field_result : object) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) return fail_syntax(code);
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return fail_syntax(code);
    if (key == "segments") {
      if (out.has_segments) return fail(error{"segments", "duplicate field \"segments\""});
      out.has_segments = true;
      od::value value = field.value();
      od::json_type type{};
      if (auto code = value.type().get(type)) return fail_syntax(code);
      if (auto e = read_segments(value, type, out.segments)) {
        if (e->field.empty()) return fail_syntax(e->code);
        return fail(std::move(e->err));
      }
      continue;
    }
    number_style annual_style{};
    if (std::optional<double>* slot = annual_plan_field(out.annual, key, annual_style)) {
      if (slot->has_value())
        return fail(error{std::string(key), "duplicate field \"" + printable(key) + "\""});
      od::value value = field.value();
      od::json_type type{};
      if (auto code = value.type().get(type)) return fail_syntax(code);
      double number = 0;
      if (auto e = read_number(value, type, key, annual_style, number)) {
        if (e->field.empty()) return fail_syntax(e->code);
        return fail(std::move(e->err));
      }
      *slot = number;
      continue;
    }
    const bool is_id = key == "id";
    const scenario_field* input_field = is_id ? nullptr : find_scenario_field(key);
    if (!is_id && !input_field)
      return fail(error{std::string(key), unknown_key_message(key, "field", true)});
    const auto seen_index = is_id ? scenario_fields.size()
                                  : static_cast<std::size_t>(input_field - scenario_fields.data());
    if (seen[seen_index])
      return fail(error{std::string(key), "duplicate field \"" + printable(key) + "\""});
    seen[seen_index] = true;

    od::value value = field.value();
    od::json_type type{};
    if (auto code = value.type().get(type)) return fail_syntax(code);

    if (is_id) {
      if (type != od::json_type::string && type != od::json_type::number)
        return fail(error{
            "id", std::string("id must be a string or a number, got ") + json_type_name(type)});
      if (type == od::json_type::string) {
        std::string_view text;
        if (auto code = value.get_string().get(text)) return fail_syntax(code);  // checks escapes
        if (std::string why = unprintable_id("id", text); !why.empty())
          return fail(error{"id", std::move(why)});
      } else if (double unused = 0; value.get_double().get(unused) ||
                                    !is_json_number(trimmed(value.raw_json_token()))) {
        return fail(error{"id", "id must be a string or a number, got " +
                                    printable(trimmed(value.raw_json_token()))});
      }
      out.id_json = trimmed(value.raw_json_token());
      continue;
    }
    if (!input_field->member) {  // period
      std::string_view text;
      if (type != od::json_type::string || value.get_string().get(text))
        return fail(error{"period", std::string("period must be \"month\" or \"year\", got ") +
                                        json_type_name(type)});
      auto p = parse_period("period", text);
      if (!p) return fail(std::move(p).error());
      out.input.period = *p;
      continue;
    }

    double number = 0;
    if (auto e = read_number(value, type, key, input_field->style(), number)) {
      if (e->field.empty()) return fail_syntax(e->code);
      return fail(std::move(e->err));
    }
    out.input.*(input_field->member) = number;
  }
  // Nothing may follow the object (simdjson 3.0's document has no at_end():
  // a location inside the input means more content).
  if (!doc.current_location().error())
    return fail(error{"", "invalid JSON: unexpected content after the scenario object"});
  return true;
}

}  // namespace cltv::cli
