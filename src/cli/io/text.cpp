#include "io/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace cltv::cli {

namespace {

constexpr char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Two digits of `pair` (below 100) at `out`.
[[gnu::always_inline]] inline void write_pair(char* out, std::uint32_t pair) {
  std::memcpy(out, digit_pairs + std::size_t{pair} * 2, 2);
}

// The n decimal digits of `digits`, ending at `end`. Eight at a time from the
// right, as four independent pairs: a 17-digit significand is not one chain
// of eight dependent divisions by 100.
[[gnu::always_inline]] inline void write_digits_backwards(char* end, std::uint64_t digits) {
  while (digits >= 100000000) {
    const auto low = static_cast<std::uint32_t>(digits % 100000000);
    digits /= 100000000;
    const std::uint32_t high4 = low / 10000, low4 = low % 10000;
    end -= 8;
    write_pair(end, high4 / 100);
    write_pair(end + 2, high4 % 100);
    write_pair(end + 4, low4 / 100);
    write_pair(end + 6, low4 % 100);
  }
  auto rest = static_cast<std::uint32_t>(digits);
  while (rest >= 100) {
    end -= 2;
    write_pair(end, rest % 100);
    rest /= 100;
  }
  if (rest >= 10) {
    write_pair(end - 2, rest);
  } else {
    *--end = static_cast<char>('0' + rest);
  }
}

// Decimal digits of n, from its bit length (log10 2 ≈ 1233 / 4096).
int count_digits(std::uint64_t n) {
  static constexpr auto powers_of_10 = [] {
    std::array<std::uint64_t, 20> powers{1};
    for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
    return powers;
  }();
  const int bits = 64 - __builtin_clzll(n | 1);
  const int guess = (bits * 1233) >> 12;
  return guess + (n >= powers_of_10[static_cast<std::size_t>(guess)] ? 1 : 0);
}

// Shortest round-trip digits from fmt's Dragonbox (about twice as fast as
// libstdc++'s Ryu-based to_chars), laid out as std::to_chars(double) lays them
// out: fixed or scientific, whichever is shorter, fixed on a tie. Dragonbox is
// an fmt internal, so this is used only with the fmt major version it was
// written against; tests/cli/text_test.cpp checks the output against to_chars.
// From 2^64 on, whole numbers are written in exponent form: JSON readers that
// hold integers in 64 bits (simdjson, which reads model files back) refuse
// longer digit strings, while any reader takes 1.0223867719271088e+20.
constexpr double two_to_64 = 18446744073709551616.0;

char* write_shortest(char* out, double x) {
#if FMT_VERSION >= 90000 && FMT_VERSION < 100000
  if (x < 0) {
    *out++ = '-';
    x = -x;
  }
  const auto decimal = fmt::detail::dragonbox::to_decimal(x);
  const std::uint64_t significand = decimal.significand;
  const int n = count_digits(significand);
  const int exponent = decimal.exponent;  // x = significand × 10^exponent
  const int scientific_exponent = exponent + n - 1;
  const int abs_sci = scientific_exponent < 0 ? -scientific_exponent : scientific_exponent;
  const int scientific_length = n + (n > 1 ? 1 : 0) + 2 + (abs_sci >= 100 ? 3 : 2);
  if (exponent < 0) {
    const int integer_digits = n + exponent;
    const int fixed_length = integer_digits > 0 ? n + 1 : 2 - exponent;
    if (fixed_length <= scientific_length) {
      if (integer_digits > 0) {  // 24.96
        write_digits_backwards(out + n + 1, significand);
        for (int i = 0; i < integer_digits; ++i) out[i] = out[i + 1];  // short: no memmove call
        out[integer_digits] = '.';
        return out + n + 1;
      }
      out[0] = '0';  // 0.00123
      out[1] = '.';
      const int zeros = -integer_digits;
      std::memset(out + 2, '0', static_cast<std::size_t>(zeros));
      write_digits_backwards(out + 2 + zeros + n, significand);
      return out + 2 + zeros + n;
    }
  } else if (n + exponent <= scientific_length && x < two_to_64) {
    // A whole number of 1e15 or more in fixed notation: to_chars prints its
    // exact digits, not the shortest ones padded with zeros.
    return std::to_chars(out, out + 32, x).ptr;
  }
  write_digits_backwards(out + n + 1, significand);  // d[.ddd]e±XX
  out[0] = out[1];
  char* p = out + 1;
  if (n > 1) {
    *p = '.';
    p += n;
  }
  *p++ = 'e';
  *p++ = scientific_exponent < 0 ? '-' : '+';
  if (abs_sci >= 100) *p++ = static_cast<char>('0' + abs_sci / 100);
  const auto pair = static_cast<std::size_t>(abs_sci % 100) * 2;
  *p++ = digit_pairs[pair];
  *p++ = digit_pairs[pair + 1];
  return p;
#else
  if (std::fabs(x) >= two_to_64)
    return std::to_chars(out, out + 32, x, std::chars_format::scientific).ptr;
  return std::to_chars(out, out + 32, x).ptr;
#endif
}

}  // namespace

char* write_number(char* out, double x) {
  const double magnitude = std::fabs(x);
  if (!(magnitude <= std::numeric_limits<double>::max()))  // inf or NaN
    throw std::logic_error("a non-finite number reached the number writer");
  // Whole numbers print as integers ("100000", where to_chars would say
  // "1e+05"). The casts, unlike std::trunc/nearbyint, need no libm call.
  if (magnitude < 1e15) {
    const auto whole = static_cast<std::int64_t>(x);
    if (static_cast<double>(whole) == x) return std::to_chars(out, out + 24, whole).ptr;
  }
  // Numbers with at most six decimals (31.2, 0.1702) print as scaled integers,
  // several times faster than the shortest-digits search. The test is exact:
  // k / 1e6 is the double nearest to the decimal k·10⁻⁶, and below 1e9 two such
  // decimals never share a double, so the text has the shortest digits that
  // read back as x — in fixed notation, where to_chars would write 0.0007 as
  // "7e-04".
  if (magnitude < 1e9) {
    const double scaled = x * 1e6;
    auto k = static_cast<std::int64_t>(scaled + (scaled < 0 ? -0.5 : 0.5));
    // A computed result (1 / 0.0061 = 163.93442622950818) is rarely within
    // 1e-3 of a multiple of 1e-6: skip the division, the costly part, then.
    if (std::fabs(scaled - static_cast<double>(k)) < 1e-3 && static_cast<double>(k) / 1e6 == x) {
      if (k < 0) {
        *out++ = '-';
        k = -k;
      }
      const auto magnitude_k = static_cast<std::uint64_t>(k);
      out = std::to_chars(out, out + 24, magnitude_k / 1000000).ptr;
      *out++ = '.';
      // The six fraction digits, zero-padded: the last four as two pairs, the
      // first two as one.
      const auto fraction = static_cast<std::size_t>(magnitude_k % 1000000);
      const std::size_t pairs[] = {fraction / 10000, fraction / 100 % 100, fraction % 100};
      for (std::size_t i = 0; i < 3; ++i) {
        out[2 * i] = digit_pairs[pairs[i] * 2];
        out[2 * i + 1] = digit_pairs[pairs[i] * 2 + 1];
      }
      int places = 6;
      while (out[places - 1] == '0') --places;  // the fraction is not 0: the loop stops
      return out + places;
    }
  }
  return write_shortest(out, x);
}

void append_number(std::string& out, double x) {
  std::array<char, 32> buf{};
  out.append(buf.data(), write_number(buf.data(), x));
}

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  std::uint32_t min = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0)
    n = 2, min = 0x80;
  else if ((c & 0xF0) == 0xE0)
    n = 3, min = 0x800;
  else if ((c & 0xF8) == 0xF0)
    n = 4, min = 0x10000;
  else
    return 0;
  if (i + n > text.size()) return 0;
  std::uint32_t cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string unprintable_id(std::string_view field, std::string_view id) {
  for (std::size_t i = 0; i < id.size();) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII: the common case
      ++i;
      continue;
    }
    const std::size_t n = c < 0x80 ? 1 : utf8_length(id, i);
    std::uint32_t code = c;
    if (n == 2) code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(id[i + 1]) & 0x3Fu);
    if (n == 0)
      return fmt::format("{} is not valid UTF-8 (byte 0x{:02X} at byte {}): ids must be text",
                         field, c, i + 1);
    if (code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0))
      return fmt::format(
          "{} holds a control character (0x{:02X} at byte {}): ids must be printable text", field,
          code, i + 1);
    i += n;
  }
  return {};
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
      }
    } else if (u >= 0x80) {
      const std::size_t n = utf8_length(text, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
        continue;
      }
      out.append(text.substr(i, n));
      i += n;
      continue;
    } else {
      out += c;
    }
    ++i;
  }
  out += '"';
}

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::uint32_t hex4(std::string_view text, std::size_t at) {
  std::uint32_t value = 0;
  if (at + 4 > text.size()) return 0xFFFD;
  std::from_chars(text.data() + at, text.data() + at + 4, value, 16);
  return value;
}

}  // namespace

std::string decode_json_string(std::string_view literal) {
  std::string out;
  const std::string_view body = literal.substr(1, literal.size() - 2);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out += body[i];
      continue;
    }
    const char escape = body[++i];
    switch (escape) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::uint32_t cp = hex4(body, i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && body.substr(i + 1, 2) == "\\u") {
          const std::uint32_t low = hex4(body, i + 3);
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, cp >= 0xD800 && cp < 0xE000 ? 0xFFFD : cp);
        break;
      }
      default:
        out += escape;  // " \ /
    }
  }
  return out;
}

void append_csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string grouped(double x, int places) {
  std::string digits = fmt::format("{:.{}f}", std::fabs(x), places);
  if (digits.find_first_not_of("0.") == std::string::npos) x = 0;  // no "-0.00"
  const std::size_t point = digits.find('.');
  const std::size_t int_len = point == std::string::npos ? digits.size() : point;
  std::string out;
  if (x < 0) out += '-';
  for (std::size_t i = 0; i < int_len; ++i) {
    if (i > 0 && (int_len - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out.append(digits, int_len);
  return out;
}

std::string trimmed_number(double x, int max_places) {
  std::string s = fmt::format("{:.{}f}", x, max_places);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string percent(double rate) {
  return trimmed_number(rate * 100.0, 4) + "%";
}

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t n = display_width(text);
  std::string out(n >= width ? 0 : width - n, ' ');
  out += text;
  return out;
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t n = display_width(text);
  if (n < width) out.append(width - n, ' ');
  return out;
}

flat_record& flat_record::add(std::string name, std::string json, std::string csv) {
  fields_.push_back(field{std::move(name), std::move(json), std::move(csv)});
  return *this;
}

flat_record& flat_record::number(std::string name, double x) {
  std::string shortest;
  append_number(shortest, x);
  return add(std::move(name), shortest, shortest);
}

flat_record& flat_record::number(std::string name, const std::optional<double>& x) {
  return x ? number(std::move(name), *x) : null(std::move(name));
}

flat_record& flat_record::count(std::string name, std::uint64_t n) {
  return add(std::move(name), std::to_string(n), std::to_string(n));
}

flat_record& flat_record::decimal(std::string name, std::string digits) {
  std::string csv = digits;
  return add(std::move(name), std::move(digits), std::move(csv));
}

flat_record& flat_record::text(std::string name, std::string_view value) {
  std::string json;
  std::string csv;
  append_json_string(json, value);
  append_csv_field(csv, value);
  return add(std::move(name), std::move(json), std::move(csv));
}

flat_record& flat_record::boolean(std::string name, bool b) {
  return add(std::move(name), b ? "true" : "false", b ? "true" : "false");
}

flat_record& flat_record::null(std::string name) {
  return add(std::move(name), "null", std::string());
}

void flat_record::append_json(std::string& out) const {
  out += '{';
  for (const field& f : fields_) {
    if (&f != fields_.data()) out += ',';
    append_json_string(out, f.name);
    out += ':';
    out += f.json;
  }
  out += '}';
}

void flat_record::append_csv(std::string& out) const {
  append_csv_names(out);
  append_csv_values(out);
}

void flat_record::append_csv_names(std::string& out) const {
  for (const field& f : fields_) {
    if (&f != fields_.data()) out += ',';
    append_csv_field(out, f.name);
  }
  out += '\n';
}

void flat_record::append_csv_values(std::string& out) const {
  for (const field& f : fields_) {
    if (&f != fields_.data()) out += ',';
    out += f.csv;
  }
  out += '\n';
}

void append_number_member(std::string& out, std::string_view name, double x) {
  out += ",\"";
  out += name;
  out += "\":";
  append_number(out, x);
}

}  // namespace cltv::cli
