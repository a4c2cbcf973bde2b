#include "io/transaction_rows.hpp"

#include <string_view>

#include "cltv/date.hpp"
#include "cltv/money.hpp"
#include "io/id_table.hpp"

namespace cltv::cli {

namespace {

// Field positions past this are left to the general reader: the layout is a
// table by position.
constexpr std::size_t max_position = 1024;

}  // namespace

std::optional<transaction_rows> transaction_rows::of(const table_input& in,
                                                     const transaction_columns& cols) {
  if (!in.splittable() || in.field_delimiter() == '\0' || !in.iso_dates()) return std::nullopt;
  // A delimiter that a YYYY-MM-DD date holds splits the date for the general
  // reader: read_row's ten-byte dates would not.
  const char d = in.field_delimiter();
  if (d == '-' || (d >= '0' && d <= '9')) return std::nullopt;
  transaction_rows layout(in.field_delimiter(), cols.allow_refunds);
  const auto place = [&](std::size_t column, role r) {
    if (!in.has_column(column)) return false;
    const std::size_t at = in.field_position(column);
    if (at >= max_position) return false;
    if (layout.roles_.size() <= at) layout.roles_.resize(at + 1, role::skip);
    if (layout.roles_[at] != role::skip) return false;  // one field read twice
    layout.roles_[at] = r;
    return true;
  };
  if (!place(cols.customer, role::id) || !place(cols.date, role::date)) return std::nullopt;
  if (cols.with_amount && !place(cols.amount, role::amount)) return std::nullopt;
  return layout;
}

transaction_rows::stop transaction_rows::scan(row_block& block, detail::parsed_rows& out) const {
  return scan_block_rows(block, [&](const char* p, const char* end, std::uint64_t line) {
    return read_row(p, end, line, out);
  });
}

const char* transaction_rows::read_field(role r, const char* p, const char* end,
                                         std::string_view& id, transaction& t) const {
  const char delim = delimiter_;
  const char* const start = p;
  if (r == role::id) {
    // Printable ASCII only: anything else (UTF-8, a control character) is
    // checked, and perhaps refused, by the general reader.
    for (auto c = static_cast<unsigned char>(*p);
         c >= 0x20 && c < 0x7F && c != static_cast<unsigned char>(delim) && c != '"';
         c = static_cast<unsigned char>(*++p)) {
    }
    if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;  // the id ends a CRLF row
  } else {
    while (*p != delim && *p != '\n' && *p != '"') ++p;
  }
  if (*p == '"') return nullptr;  // the general reader knows quotes
  // A row's last field ends before the CR of a CRLF; at the end of the
  // input (the line break put there by scan) the CR stays, as in the
  // general reader.
  const char* const text_end = *p == '\n' && p < end && p > start && p[-1] == '\r' ? p - 1 : p;
  const std::string_view text(start, static_cast<std::size_t>(text_end - start));
  switch (r) {
    case role::skip:
      break;
    case role::id:
      if (*p != delim && *p != '\n') return nullptr;  // a byte the loop above does not take
      if (text.empty() || text.size() > id_table::max_length) return nullptr;
      id = text;
      break;
    case role::date:
      if (auto day = read_plain_iso_date(text)) {
        t.day = *day;
      } else {
        return nullptr;
      }
      break;
    case role::amount:
      if (!read_plain_decimal_amount(text, allow_refunds_, t.amount)) return nullptr;
      break;
  }
  return p;
}

const char* transaction_rows::read_row(const char* p, const char* end, std::uint64_t line,
                                       detail::parsed_rows& out) const {
  const char delim = delimiter_;
  const std::size_t last = roles_.size() - 1;
  std::string_view id;
  transaction t;
  for (std::size_t field = 0;; ++field) {
    const role r = roles_[field];
    if (r == role::date && end - p >= 10 && (p[10] == delim || p[10] == '\n')) {
      // The common date: ten bytes, no search for the field's end.
      const auto day = read_plain_iso_date(std::string_view(p, 10));
      if (!day) return nullptr;
      t.day = *day;
      p += 10;
    } else {
      p = read_field(r, p, end, id, t);
      if (p == nullptr) return nullptr;
    }
    if (field == last) break;
    if (*p != delim) return nullptr;  // too few fields
    ++p;
  }
  // The fields no column asks for, up to the line break.
  while (*p != '\n' && *p != '"') ++p;
  if (*p == '"') return nullptr;
  t.line = line;
  detail::pending_row row{};
  row.id_offset = out.ids.size();
  row.id_length = id.size();
  row.hash = id_table::hash(id);
  row.t = t;
  out.ids.append(id);
  out.rows.push_back(row);
  return p;
}

}  // namespace cltv::cli
