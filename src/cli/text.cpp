#include "text.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace cltv::cli {

char* write_number(char* out, double x) {
  const double magnitude = std::fabs(x);
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
    if (static_cast<double>(k) / 1e6 == x) {
      if (k < 0) {
        *out++ = '-';
        k = -k;
      }
      out = std::to_chars(out, out + 24, k / 1000000).ptr;
      *out++ = '.';
      std::int64_t fraction = k % 1000000;
      int places = 6;
      while (fraction % 10 == 0) fraction /= 10, --places;
      for (int i = places - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + fraction % 10);
        fraction /= 10;
      }
      return out + places;
    }
  }
  return std::to_chars(out, out + 32, x).ptr;
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

}  // namespace cltv::cli
