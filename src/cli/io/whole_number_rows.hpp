#pragma once
// The fast way through a summary's rows: when the columns a command needs
// hold small whole numbers ("12,105,120": a summary of whole days or weeks),
// a row is read in one pass over its bytes, numbers parsed on the way,
// instead of being split into fields by the general reader (table_reader)
// and each field parsed after. Any row this cannot read exactly as the
// general reader would (a quote, a field that is not digits, a row too
// short) is left to the general reader, with its line number.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/block_scan.hpp"
#include "io/table_reader.hpp"

namespace cltv::cli {

/// The layout of the rows a whole_number_rows scan reads: which fields are
/// numbers, which must hold a fixed text, and the delimiter.
class whole_number_rows {
 public:
  static constexpr std::size_t max_numbers = 3;
  using numbers = std::array<std::uint64_t, max_numbers>;

  explicit whole_number_rows(char delimiter) : delimiter_(delimiter) {}

  /// The field at 0-based `position` is the next number handed over: 1 to 9
  /// digits, nothing else. Exactly max_numbers are asked for.
  void add_number(std::size_t position) {
    if (numbers_ < max_numbers) set_role(position, {kind::number, numbers_});
    ++numbers_;
  }
  /// The field at `position` must be `text` exactly (after a CRLF's CR is
  /// dropped from a row's last field); nullopt: it must be empty.
  void add_fixed(std::size_t position, std::optional<std::string> text) {
    set_role(position, {kind::fixed, fixed_.size()});
    fixed_.push_back(std::move(text));
  }
  /// Whether rows can be read this way: max_numbers numbers, no field asked
  /// for twice (--T-col and --recency-col naming one column: the general
  /// reader then reads it twice).
  [[nodiscard]] bool usable() const noexcept { return numbers_ == max_numbers && !clash_; }

  /// Where a scan stopped (block_stop).
  using stop = block_stop;

  /// Reads the rows of `block` (whole rows, table_reader::next_block) from
  /// its start, skipping empty lines as the general reader does, and hands
  /// each row's numbers to `take`, which returns false to refuse the row.
  /// Stops before the first row that does not fit the layout or that `take`
  /// refuses (scan_block_rows).
  template <class Take>
  [[nodiscard]] stop scan(row_block& block, Take&& take) const {
    if (!usable()) return stop{0, block.first_line};
    numbers values{};
    return scan_block_rows(block, [&](const char* p, const char* end, std::uint64_t) {
      const char* const after = read_row(p, end, values);
      return after != nullptr && take(values) ? after : nullptr;
    });
  }

 private:
  enum class kind : std::uint8_t { skip, number, fixed };
  struct role {
    kind is = kind::skip;
    std::size_t index = 0;  // of the number, or of the fixed text
  };

  void set_role(std::size_t position, role r) {
    if (roles_.size() <= position) roles_.resize(position + 1);
    if (roles_[position].is != kind::skip) clash_ = true;
    roles_[position] = r;
  }

  // The row at `p` (not an empty line): its line break, or nullptr when it
  // does not fit the layout. Reads up to the line break, which the text
  // always has (scan put one at `end`, where a CR is a field's last
  // character, as the general reader reads a last line without a break).
  const char* read_row(const char* p, const char* end, numbers& values) const {
    const char delim = delimiter_;
    for (std::size_t field = 0;; ++field) {
      if (field == roles_.size()) {  // the fields no column asks for: up to the line break
        while (*p != '\n' && *p != '"') ++p;
        return *p == '\n' ? p : nullptr;
      }
      const role r = roles_[field];
      if (r.is == kind::number) {
        const char* const start = p;
        std::uint64_t v = 0;
        for (auto digit = static_cast<unsigned>(*p - '0'); digit <= 9;
             digit = static_cast<unsigned>(*++p - '0'))
          v = v * 10 + digit;
        const auto digits = p - start;
        if (digits == 0 || digits > 9) return nullptr;
        values[r.index] = v;
        if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;  // CRLF
      } else {
        const char* const start = p;
        while (*p != delim && *p != '\n' && *p != '"') ++p;
        if (*p == '"') return nullptr;  // the general reader knows quotes
        if (r.is == kind::fixed) {
          // The last field of a CRLF row ends before its CR.
          const char* const text_end =
              *p == '\n' && p < end && p > start && p[-1] == '\r' ? p - 1 : p;
          const std::optional<std::string>& want = fixed_[r.index];
          const std::string_view text(start, static_cast<std::size_t>(text_end - start));
          if (want ? text != *want : !text.empty()) return nullptr;
        }
      }
      if (*p == delim) {
        ++p;
        continue;
      }
      if (*p != '\n') return nullptr;
      // The row ends here: every column asked for must have been read.
      return field + 1 == roles_.size() ? p : nullptr;
    }
  }

  char delimiter_;
  std::size_t numbers_ = 0;
  bool clash_ = false;
  std::vector<role> roles_;
  std::vector<std::optional<std::string>> fixed_;
};

}  // namespace cltv::cli
