// Input bytes → table_reader, read whole in one block, in tiny blocks, and
// from a file (a fuzzing run: one block size and one file way per input; a
// replay: all). The first byte picks the delimiter (',', ';', '\t' as
// themselves, ' ' for whitespace mode; any other byte by its value mod 4), the
// rest is the text. Invariants:
// - every block size, and a file instead of a string, yields the same rows
//   (fields and lines), the same failure and the same bytes();
// - the rows and the failure are those of a naive byte-by-byte reading of the
//   rules written here independently (after inflating gzip input here too);
// - lines strictly increase, every row has at least one field;
// - a failure has a one-line message; without one, bytes() is the whole text;
// - after the end, next() stays at the end.

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "io/table_block_size.hpp"
#include "io/table_reader.hpp"
#include "memory_file.hpp"

namespace {

using cltv::cli::table_options;
using cltv::cli::table_reader;

struct row {
  std::uint64_t line = 0;
  std::vector<std::string> fields;
  bool operator==(const row&) const = default;
};

struct table {
  std::vector<row> rows;
  std::optional<std::string> failure;
  std::uint64_t bytes = 0;
  bool operator==(const table&) const = default;
};

table read_all(table_reader& reader) {
  table out;
  while (reader.next()) {
    CLTV_FUZZ_CHECK(!reader.fields().empty());
    CLTV_FUZZ_CHECK(out.rows.empty() || reader.line() > out.rows.back().line);
    row r{reader.line(), {}};
    for (const auto field : reader.fields()) r.fields.emplace_back(field);
    out.rows.push_back(std::move(r));
  }
  CLTV_FUZZ_CHECK(!reader.next());
  CLTV_FUZZ_CHECK(reader.fields().empty());
  if (reader.failure()) {
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(reader.failure()->message));
    out.failure = reader.failure()->message;
  }
  out.bytes = reader.bytes();
  return out;
}

table read_string(std::string_view text, char delimiter, std::size_t block) {
  auto reader = [&] {
    const cltv::cli::table_block_size blocks(block);
    return table_reader::from_string(std::string(text), table_options{delimiter});
  }();
  return read_all(reader);
}

using cltv::fuzz::input_path;

table read_file(std::string_view bytes, char delimiter, std::size_t block) {
  cltv::fuzz::write_input(bytes);
  auto reader = [&] {
    const cltv::cli::table_block_size blocks(block);
    return table_reader::open(input_path(), table_options{delimiter});
  }();
  CLTV_FUZZ_CHECK(reader.has_value());
  table out = read_all(*reader);
  if (out.failure) {  // gzip messages name the input: the path here, "text" for a string
    const auto at = out.failure->find(input_path());
    if (at != std::string::npos) out.failure->replace(at, input_path().size(), "text");
  }
  return out;
}

enum class gunzipped { ok, damaged, too_big };

// The whole of a gzip input, inflated member after member in one go.
gunzipped gunzip(std::string_view bytes, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return gunzipped::damaged;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  char chunk[4096];
  gunzipped result = gunzipped::damaged;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) {
        result = gunzipped::ok;
        break;
      }
      if (inflateReset(&zs) != Z_OK) break;
    } else if (rc != Z_OK) {
      break;  // damaged, or truncated (Z_BUF_ERROR: no input left)
    } else if (out.size() > (std::size_t{64} << 20)) {
      result = gunzipped::too_big;  // a bomb: not worth checking byte by byte
      break;
    }
  }
  inflateEnd(&zs);
  return result;
}

// The rules, byte by byte, as the header and the brief state them.
table naive(std::string_view text, char delimiter) {
  table out;
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  const std::size_t n = text.size();
  std::uint64_t line = 1;
  const auto fail = [&](std::uint64_t at, const char* what) {
    out.failure = "line " + std::to_string(at) + ": " + what;
    out.bytes = i;  // not compared: the reader stops at the row's start
    return out;
  };
  if (delimiter == '\0') {
    while (i < n) {
      std::size_t e = text.find('\n', i);
      const bool has_lf = e != std::string_view::npos;
      if (!has_lf) e = n;
      std::string_view content = text.substr(i, e - i);
      if (has_lf && !content.empty() && content.back() == '\r') content.remove_suffix(1);
      row r{line, {}};
      std::string field;
      bool in_field = false;
      for (const char c : content) {
        if (c == ' ' || c == '\t') {
          if (in_field) r.fields.push_back(field);
          field.clear();
          in_field = false;
        } else {
          field += c;
          in_field = true;
        }
      }
      if (in_field) r.fields.push_back(field);
      if (!r.fields.empty()) out.rows.push_back(r);
      ++line;
      i = has_lf ? e + 1 : n;
    }
    out.bytes = n;
    return out;
  }
  while (i < n) {
    if (text[i] == '\n') {
      ++i;
      ++line;
      continue;
    }
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
      i += 2;
      ++line;
      continue;
    }
    row r{line, {}};
    const std::size_t row_start = i;
    for (;;) {
      std::string value;
      if (i < n && text[i] == '"') {
        const std::uint64_t field_line = line;
        ++i;
        for (;;) {
          if (i == n) {
            i = row_start;
            return fail(field_line, "unterminated quoted field");
          }
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          value += text[i++];
        }
        r.fields.push_back(value);
        if (i == n) break;
        if (text[i] == delimiter) {
          ++i;
          continue;
        }
        if (text[i] == '\n') {
          ++i;
          ++line;
          break;
        }
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
          i += 2;
          ++line;
          break;
        }
        i = row_start;
        return fail(line, "unexpected character after closing quote");
      }
      while (i < n && text[i] != delimiter && text[i] != '\n') value += text[i++];
      if (i < n && text[i] == delimiter) {
        r.fields.push_back(value);
        ++i;
        continue;
      }
      if (i < n) {  // '\n'
        if (!value.empty() && value.back() == '\r') value.pop_back();
        ++i;
        ++line;
      }
      r.fields.push_back(value);
      break;
    }
    out.rows.push_back(r);
  }
  out.bytes = n;
  return out;
}

#ifdef CLTV_FUZZ_REPLAY
constexpr bool every_way = true;
#else
constexpr bool every_way = false;
#endif

char pick_delimiter(std::uint8_t byte) {
  switch (byte) {
    case ',':
    case ';':
    case '\t':
      return static_cast<char>(byte);
    case ' ':
      return '\0';
    default: {
      static constexpr char by_value[] = {',', '\t', '\0', ';'};
      return by_value[byte % 4];
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char delimiter = pick_delimiter(data[0]);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string text(input);
  gunzipped inflated = gunzipped::ok;
  if (input.size() >= 2 && input[0] == '\x1f' && input[1] == '\x8b') {
    text.clear();
    inflated = gunzip(input, text);
  }

  const table whole = read_string(input, delimiter, 0);
  // Small blocks make rows straddle them; blocks above 64 bytes make the
  // field-end index span several words; a file is read whole and in blocks
  // of 5. A replay reads every way. A fuzzing run reads one block size and one
  // file way per input, picked by a hash of the input (every way gets a tenth
  // of the inputs or more): reading every way tripled the time per input.
  // Blocks of a few bytes only for texts of a few KiB (a gzip input may
  // inflate to 80 KB).
  constexpr std::size_t blocks[] = {1, 2, 3, 7, 64, 100, 257};
  constexpr std::size_t first_big_block = 4, tiny_blocks_up_to = 4096;
  const std::size_t smallest = text.size() > tiny_blocks_up_to ? first_big_block : 0;
  const std::size_t pick = std::hash<std::string_view>{}(input);
  for (std::size_t i = smallest; i < std::size(blocks); ++i) {
    if (!every_way && i != smallest + pick % (std::size(blocks) - smallest)) continue;
    CLTV_FUZZ_CHECK(read_string(input, delimiter, blocks[i]) == whole);
  }
  const bool file_in_blocks = (pick >> 8) % 2 == 1;
  if (every_way || !file_in_blocks) CLTV_FUZZ_CHECK(read_file(input, delimiter, 0) == whole);
  if (every_way || file_in_blocks) CLTV_FUZZ_CHECK(read_file(input, delimiter, 5) == whole);

  switch (inflated) {
    case gunzipped::ok:
      break;
    case gunzipped::damaged:
      CLTV_FUZZ_CHECK(whole.failure.has_value());  // that, or a parse error before the damage
      return 0;
    case gunzipped::too_big:
      return 0;
  }
  const table expected = naive(text, delimiter);
  CLTV_FUZZ_CHECK(whole.rows == expected.rows);
  CLTV_FUZZ_CHECK(whole.failure == expected.failure);
  if (!whole.failure) CLTV_FUZZ_CHECK(whole.bytes == text.size());
  return 0;
}
