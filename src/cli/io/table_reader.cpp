#include "io/table_reader.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <utility>

#include "io/byte_source.hpp"
#include "io/table_block_size.hpp"

namespace cltv::cli {

namespace {

// 1 MiB: large enough that read(2) calls and the per-block bookkeeping vanish
// next to the scanning. (The text still is in the cache when it is parsed:
// see index_chunk.)
constexpr std::size_t default_block_size = byte_source::default_block;
// Readable bytes after the text's room in the buffer: the searches read 16
// or 64 bytes at a time, up to 63 past the end of the text.
constexpr std::size_t padding = 64;
// Words of the field-end index computed at a time: 16 KiB of text, which
// stays in L1 from indexing to parsing.
constexpr std::size_t index_chunk = 256;

thread_local std::size_t block_size_override = 0;

std::size_t block_size() noexcept {
  return block_size_override != 0 ? block_size_override : default_block_size;
}

std::size_t distance(const char* from, const char* to) noexcept {
  return static_cast<std::size_t>(to - from);
}

const char* find(const char* from, const char* to, char c) noexcept {
  return static_cast<const char*>(std::memchr(from, c, distance(from, to)));
}

// Sets bit i % 64 of index[i / 64] when text[i] is `delimiter` or LF, for
// i in [64 * from, 64 * to) ∩ [0, size): where unquoted fields end. Fields are
// short (a few bytes to a few dozen), where a memchr per field would cost
// more than the search; this runs at memory speed, and then finding a
// field's end takes a few bit operations.
void index_field_ends(const char* text, std::size_t size, char delimiter, std::uint64_t* index,
                      std::size_t from, std::size_t to) noexcept {
  std::size_t w = from;
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delimiter);
  const __m128i lf = _mm_set1_epi8('\n');
  for (; w < to && 64 * w + 64 <= size; ++w) {
    const char* const block = text + 64 * w;
    std::uint64_t mask = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
      const auto bits = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, lf))));
      mask |= std::uint64_t{bits} << (16 * k);
    }
    index[w] = mask;
  }
#endif
  for (; w < to; ++w) {
    std::uint64_t mask = 0;
    for (std::size_t k = 0; k < 64 && 64 * w + k < size; ++k) {
      const char c = text[64 * w + k];
      if (c == delimiter || c == '\n') mask |= std::uint64_t{1} << k;
    }
    index[w] = mask;
  }
}

// The first quote or LF in [from, to), or `to`; reads up to 15 bytes past
// `to` (the buffer's padding). Quoted fields are short too: one call and a
// 16-byte compare instead of a memchr for the quote and one for line breaks.
const char* find_quote_or_lf(const char* from, const char* to) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
  for (; from < to; from += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from));
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, lf))));
    if (to - from < 16) mask &= (1U << (to - from)) - 1;
    if (mask != 0) return from + __builtin_ctz(mask);
  }
  return to;
#else
  while (from < to && *from != '"' && *from != '\n') ++from;
  return from;
#endif
}

// Line breaks in [text, text + size).
std::uint64_t count_line_breaks(const char* text, std::size_t size) noexcept {
  std::uint64_t n = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  // Per byte lane, a count of up to 255 line breaks (a match is −1: it is
  // subtracted), summed across lanes every 255 rounds: no popcount, which
  // plain x86-64 calls out of line.
  const __m128i lf = _mm_set1_epi8('\n');
  while (i + 16 <= size) {
    __m128i lanes = _mm_setzero_si128();
    for (int round = 0; round < 255 && i + 16 <= size; ++round, i += 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(x, lf));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    // Each half's sum (at most 8 · 255) sits in its low 16 bits.
    n += static_cast<std::uint64_t>(_mm_extract_epi16(sums, 0)) +
         static_cast<std::uint64_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < size; ++i) n += text[i] == '\n' ? 1 : 0;
  return n;
}

// Where the last whole row of [text, text + size) ends (just past its line
// break), when the text starts at a row's start; 0 when no row ends in it.
// A quote opens a quoted field only at a field's start, as parse_delimited
// reads it; "" inside is a quote. (After a character that parse_delimited
// refuses, the cut may differ from its reading, but the rows from there on
// are never used: parsing stops at that error.)
std::size_t last_row_end(const char* text, std::size_t size, char delimiter) noexcept {
  if (delimiter == '\0' || std::memchr(text, '"', size) == nullptr) {
    const void* lf = memrchr(text, '\n', size);
    return lf == nullptr ? 0 : distance(text, static_cast<const char*>(lf)) + 1;
  }
  enum class at { field_start, unquoted, quoted };
  at where = at::field_start;
  std::size_t last = 0;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    switch (where) {
      case at::field_start:
      case at::unquoted:
        if (c == '\n') {
          last = i + 1;
          where = at::field_start;
        } else if (c == delimiter) {
          where = at::field_start;
        } else if (c == '"' && where == at::field_start) {
          where = at::quoted;
        } else {
          where = at::unquoted;
        }
        break;
      case at::quoted:
        if (c != '"') break;
        if (i + 1 < size && text[i + 1] == '"') {
          ++i;
        } else {
          where = at::unquoted;
        }
        break;
    }
  }
  return last;
}

bool valid_delimiter(char c) noexcept {
  return c != '"' && c != '\n' && c != '\r';
}

const char* const invalid_delimiter_message = "the delimiter cannot be a quote, CR or LF";

}  // namespace

void detail::set_table_block_size(std::size_t bytes) noexcept {
  block_size_override = bytes;
}

struct table_reader::state {
  enum class outcome { row, need_more, end, failed };

  state(byte_source bytes, char delim, std::size_t block_bytes)
      : block(block_bytes), source(std::move(bytes)), delimiter(delim) {}

  void fail(std::string message) {
    if (!failure) failure = error{"input", std::move(message)};
  }

  // Text bytes into [dst, dst + n): false on an error, got == 0 at the end.
  //
  // A read error or damaged gzip data: the text before it is still parsed,
  // and the error becomes the failure only when the parsing needs text past
  // it. Otherwise a parse error before it would be reported or not depending
  // on how far the blocks happened to read.
  bool produce(char* dst, std::size_t n, std::size_t& got) {
    if (source.read(dst, n, got)) return true;
    if (!input_error) input_error = source.failure();
    broken = true;
    return false;
  }

  // Moves the unconsumed tail to the front, doubles the buffer when that tail
  // (a row longer than half the buffer) would leave less room than it takes
  // (so that rescanning a long row stays linear), and reads until the buffer
  // is full or the input ends. False when nothing more can come.
  //
  // After an error (read, gzip) the text before it stays: its complete rows
  // are still returned, so that the rows before a failure do not depend on
  // where the blocks happened to end.
  bool fill() {
    if (eof || broken) return false;
    if (begin > 0) {
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      discarded += begin;
      end -= begin;
      begin = 0;
    }
    // A first block sized by a small input that then gives more text (gzip)
    // grows by doubling toward the block size, not at once to the whole block.
    if (buf.empty())
      buf.resize((first_block != 0 ? first_block : block) + padding);
    else if (end * 2 > capacity() || capacity() < block)
      buf.resize(capacity() * 2 + padding);
    while (end < capacity()) {
      std::size_t got = 0;
      const bool ok = produce(buf.data() + end, capacity() - end, got);
      end += got;
      if (!ok) break;  // broken
      if (got == 0) {
        eof = true;
        break;
      }
    }
    // Indexed on demand, a little ahead of the parsing, so that the text is
    // still in the cache when parsed (indexing whole 1 MiB blocks first made
    // the reader about 1.5 times slower). The tail kept from before moved:
    // its index too.
    ends.resize((end + 63) / 64);
    indexed = 0;
    return true;
  }

  // The text's room in buf, which has `padding` bytes more.
  [[nodiscard]] std::size_t capacity() const noexcept {
    return buf.empty() ? 0 : buf.size() - padding;
  }

  // Skips a BOM.
  void start() {
    while (end - begin < 3 && fill()) {
    }
    if (end - begin >= 3 && std::memcmp(buf.data() + begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;
  }

  outcome parse() { return delimiter == '\0' ? parse_blank_separated() : parse_delimited(); }

  outcome parse_blank_separated() {
    const char* const base = buf.data();
    const char* const stop = base + end;
    for (;;) {
      const char* const p = base + begin;
      if (p == stop) return eof ? outcome::end : outcome::need_more;
      const char* const lf = find(p, stop, '\n');
      if (lf == nullptr && !eof) return outcome::need_more;
      const char* e = lf != nullptr ? lf : stop;
      if (lf != nullptr && e > p && e[-1] == '\r') --e;
      split_at_blanks(p, e);
      begin = distance(base, lf != nullptr ? lf + 1 : stop);
      const std::uint64_t this_line = line++;
      if (!fields.empty()) {
        row_line = this_line;
        return outcome::row;
      }
    }
  }

  // The fields of [p, e) separated by runs of spaces and tabs. A loop per
  // byte mispredicts at every field's end; this finds the edges of 64 bytes
  // at a time in bit masks (reading up to 63 bytes past e: the padding).
  void split_at_blanks(const char* p, const char* e) {
    fields.clear();
    const char* field = nullptr;
    bool in_field = false;
    for (const char* chunk = p; chunk < e; chunk += 64) {
      const auto n = std::min<std::size_t>(64, distance(chunk, e));
      std::uint64_t blank = blank_bits(chunk);
      if (n < 64) blank |= ~std::uint64_t{0} << n;  // past e: blank, ending a field there
      const std::uint64_t nonblank = ~blank;
      const std::uint64_t after_nonblank = (nonblank << 1) | std::uint64_t{in_field};
      // Field starts and ends alternate: toggle at each.
      std::uint64_t edges = (nonblank & ~after_nonblank) | (blank & after_nonblank);
      while (edges != 0) {
        const char* const at = chunk + __builtin_ctzll(edges);
        edges &= edges - 1;
        if (in_field) {
          fields.emplace_back(field, distance(field, at));
        } else {
          field = at;
        }
        in_field = !in_field;
      }
    }
    if (in_field) fields.emplace_back(field, distance(field, e));  // e at a chunk's end
  }

  // Bit i set when p[i] is a space or a tab, for i in [0, 64).
  static std::uint64_t blank_bits(const char* p) noexcept {
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i tab = _mm_set1_epi8('\t');
    std::uint64_t mask = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      const auto bits = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, space), _mm_cmpeq_epi8(x, tab))));
      mask |= std::uint64_t{bits} << (16 * k);
    }
    return mask;
#else
    std::uint64_t mask = 0;
    for (unsigned k = 0; k < 64; ++k)
      if (p[k] == ' ' || p[k] == '\t') mask |= std::uint64_t{1} << k;
    return mask;
#endif
  }

  outcome parse_delimited() {
    const char* const base = buf.data();
    const char* const stop = base + end;
    const char* const row = skip_empty_lines(base, stop);
    if (row == stop) return eof ? outcome::end : outcome::need_more;

    // Copies in locals, which the compiler keeps in registers (stores into
    // `fields` might alias the members).
    const char delim = delimiter;
    const bool at_end = eof;
    const std::uint64_t* const index = ends.data();
    const std::size_t words = ends.size();
    std::size_t ready = indexed;  // words of the index computed
    const auto index_word = [&](std::size_t w) {
      if (w >= ready) {
        ready = std::min(words, std::max(ready, w) + index_chunk);
        index_field_ends(base, end, delim, ends.data(), indexed, ready);
        indexed = ready;
      }
      return index[w];
    };

    fields.clear();
    if (!escapes.empty()) {
      escapes.clear();
      scratch.clear();
    }
    std::uint64_t newlines = 0;  // inside the quoted fields read so far
    // Where the search for field ends is: once positioned, bits holds the
    // index word `word` with the ends before p cleared, and the fields of a
    // row take their ends one after the other from it.
    bool positioned = false;
    std::size_t word = 0;
    std::uint64_t bits = 0;
    const char* p = row;
    const char* next_row = nullptr;
    for (;;) {
      if (p == stop || *p != '"') {
        // Unquoted: up to the delimiter or the end of the line (the next bit
        // of the index); quotes inside are plain characters.
        const char* e = stop;
        if (p != stop) {
          if (!positioned) {
            const std::size_t at = distance(base, p);
            word = at / 64;
            bits = index_word(word) & (~std::uint64_t{0} << (at % 64));
            positioned = true;
          }
          while (bits == 0 && word + 1 < words) bits = index_word(++word);
          if (bits != 0) {
            e = base + word * 64 + __builtin_ctzll(bits);
            bits &= bits - 1;  // consumed: the next field starts after it
          }
        }
        if (e == stop) {
          if (!at_end) return outcome::need_more;
          fields.emplace_back(p, distance(p, stop));  // the last line, without a line break
          next_row = stop;
          break;
        }
        if (*e == delim) {
          fields.emplace_back(p, distance(p, e));
          p = e + 1;
          continue;
        }
        const char* const field_end = e > p && e[-1] == '\r' ? e - 1 : e;
        fields.emplace_back(p, distance(p, field_end));
        next_row = e + 1;
        break;
      }

      // Quoted: up to the quote not followed by another, counting the line
      // breaks on the way.
      const char* const content = p + 1;
      const std::uint64_t field_line = line + newlines;
      const char* q = content;
      const char* close = nullptr;
      bool escaped = false;
      for (;;) {
        const char* const hit = find_quote_or_lf(q, stop);
        if (hit == stop) {
          if (!at_end) return outcome::need_more;
          fail("line " + std::to_string(field_line) + ": unterminated quoted field");
          return outcome::failed;
        }
        if (*hit == '\n') {
          ++newlines;
          q = hit + 1;
          continue;
        }
        if (hit + 1 == stop && !at_end) return outcome::need_more;  // "" or the closing quote?
        if (hit + 1 < stop && hit[1] == '"') {
          escaped = true;
          q = hit + 2;
          continue;
        }
        close = hit;
        break;
      }
      if (escaped) {
        unescape(content, close);
      } else {
        fields.emplace_back(content, distance(content, close));
      }
      p = close + 1;
      positioned = false;
      if (p == stop) {  // (not at the end, the lookahead above asked for more)
        next_row = stop;
        break;
      }
      if (*p == delim) {
        ++p;
        continue;
      }
      if (*p == '\n') {
        next_row = p + 1;
        break;
      }
      if (*p == '\r') {
        if (p + 1 == stop && !at_end) return outcome::need_more;
        if (p + 1 < stop && p[1] == '\n') {
          next_row = p + 2;
          break;
        }
      }
      // Rejected rather than kept ("a"b → a"b?) because no reading is right:
      // it is usually a quote the writer forgot to double.
      fail("line " + std::to_string(line + newlines) +
           ": unexpected character after closing quote");
      return outcome::failed;
    }

    // The scratch no longer grows: views into it are now stable.
    for (const auto& e : escapes)
      fields[e.index] = std::string_view(scratch.data() + e.offset, e.size);
    row_line = line;
    line += newlines + 1;
    begin = distance(base, next_row);
    return outcome::row;
  }

  // Consumes the lines at `begin` that are nothing but a line break.
  const char* skip_empty_lines(const char* base, const char* stop) {
    const char* p = base + begin;
    while (p != stop) {
      if (*p == '\n') {
        ++p;
      } else if (*p == '\r' && p + 1 != stop && p[1] == '\n') {
        p += 2;
      } else {
        break;
      }
      ++line;
    }
    begin = distance(base, p);
    return p;
  }

  // Appends the content of a quoted field with "" to the scratch, undoubled;
  // its view is made once the row is complete (the scratch may move until then).
  void unescape(const char* from, const char* to) {
    const std::size_t offset = scratch.size();
    while (const char* quote = find(from, to, '"')) {
      scratch.append(from, quote + 1);  // one quote of the pair
      from = quote + 2;
    }
    scratch.append(from, to);
    escapes.push_back({fields.size(), offset, scratch.size() - offset});
    fields.emplace_back();
  }

  // (Grouped by size rather than by topic: the small ones are at the end.)
  const std::size_t block;
  // The first buffer's size when smaller than `block` (a small file), else 0.
  std::size_t first_block = 0;

  // A first buffer the text's size (byte_source::first_block), not a block.
  void size_first_block(std::size_t text_bytes) {
    const std::size_t sized = byte_source::first_block(text_bytes, block);
    if (sized < block) first_block = sized;
  }

  byte_source source;

  // Text in [begin, end) of buf; discarded bytes were consumed and moved out.
  std::vector<char> buf;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::uint64_t discarded = 0;
  std::vector<std::uint64_t> ends;  // index_field_ends() of buf, for [0, end)
  std::size_t indexed = 0;          // words of `ends` computed
  std::optional<error> input_error;

  // The current row.
  struct escaped_field {
    std::size_t index;
    std::size_t offset;
    std::size_t size;
  };
  std::vector<std::string_view> fields;
  std::string scratch;
  std::vector<escaped_field> escapes;
  std::uint64_t line = 1;  // the line at begin
  std::uint64_t row_line = 0;
  std::optional<error> failure;

  const char delimiter;
  bool eof = false;     // no more text after end
  bool broken = false;  // an error (in input_error) after end: no more text either
  bool started = false;
  bool done = false;
};

result<table_reader> table_reader::open(const std::string& path, table_options options) {
  if (!valid_delimiter(options.delimiter)) return error{"delimiter", invalid_delimiter_message};
  const std::size_t block = block_size();
  auto source = byte_source::open(path, byte_source::decoding::gunzip_by_magic,
                                  std::min(block, default_block_size));
  if (!source) return std::move(source).error();
  const std::optional<std::uint64_t> size = source->file_size();
  auto s = std::make_unique<state>(std::move(*source), options.delimiter, block);
  if (size) s->size_first_block(static_cast<std::size_t>(*size));
  return table_reader(std::move(s));
}

table_reader table_reader::from_string(std::string text, table_options options) {
  return from_shared(std::make_shared<const std::string>(std::move(text)), options);
}

table_reader table_reader::from_shared(std::shared_ptr<const std::string> text,
                                       table_options options) {
  const std::size_t block = block_size();
  const std::size_t text_bytes = text->size();
  auto s = std::make_unique<state>(
      byte_source::from_shared(std::move(text), byte_source::decoding::gunzip_by_magic,
                               std::min(block, default_block_size)),
      options.delimiter, block);
  s->size_first_block(text_bytes);
  if (!valid_delimiter(options.delimiter)) {
    s->failure = error{"delimiter", invalid_delimiter_message};
    s->done = true;
  }
  return table_reader(std::move(s));
}

table_reader::table_reader(std::unique_ptr<state> s) : s_(std::move(s)) {}
table_reader::table_reader(table_reader&&) noexcept = default;
table_reader& table_reader::operator=(table_reader&&) noexcept = default;
table_reader::~table_reader() = default;

bool table_reader::next() {
  state& s = *s_;
  s.fields.clear();
  if (s.done) return false;
  if (!s.started) {
    s.started = true;
    s.start();
  }
  for (;;) {
    switch (s.parse()) {
      case state::outcome::row:
        return true;
      case state::outcome::need_more:
        if (s.broken) {  // the row needs text past the error
          s.failure = s.input_error;
          break;
        }
        // At the end of the input parse() never asks for more, so this ends.
        if (!s.fill()) break;
        continue;
      case state::outcome::end:
      case state::outcome::failed:
        break;
    }
    s.fields.clear();
    s.done = true;
    return false;
  }
}

std::span<const std::string_view> table_reader::fields() const noexcept {
  return s_->fields;
}

std::uint64_t table_reader::line() const noexcept {
  return s_->row_line;
}

std::uint64_t table_reader::bytes() const noexcept {
  return s_->discarded + s_->begin;
}

bool table_reader::next_block(row_block& out) {
  state& s = *s_;
  out.size = 0;
  out.broken.reset();
  if (s.done) return false;
  if (!s.started) {
    s.started = true;
    s.start();
  }
  const std::uint64_t consumed = s.discarded + s.begin;  // text before this block
  const std::size_t carried = s.end - s.begin;
  if (s.eof && !s.broken && carried > 0) {
    // The rest of the input is in the buffer already (a small file, read
    // whole): moved to its front, the buffer itself becomes the block,
    // instead of a new one twice its size being cleared and copied into.
    std::memmove(s.buf.data(), s.buf.data() + s.begin, carried);
    out.bytes.swap(s.buf);
    out.size = carried;
    out.first_line = s.line;
    s.line += count_line_breaks(out.bytes.data(), carried);
    s.discarded = consumed + carried;
    s.begin = s.end = 0;
    s.done = true;
    return true;
  }
  // A block of text (a buffer grown by a long row earlier is not filled).
  std::size_t room = std::max(s.block, 2 * carried);
  if (out.bytes.size() < room + padding) out.bytes.resize(room + padding);
  std::memcpy(out.bytes.data(), s.buf.data() + s.begin, carried);
  out.size = carried;
  s.begin = s.end = 0;
  std::size_t cut = 0;
  for (;;) {
    while (out.size < room && !s.eof && !s.broken) {
      std::size_t got = 0;
      const bool ok = s.produce(out.bytes.data() + out.size, room - out.size, got);
      out.size += got;
      if (got == 0 && ok) s.eof = true;
    }
    if (s.eof || s.broken) {  // the rest of the input, whole
      cut = out.size;
      break;
    }
    cut = last_row_end(out.bytes.data(), out.size, s.delimiter);
    if (cut != 0) break;
    room *= 2;  // a row longer than the block
    if (out.bytes.size() < room + padding) out.bytes.resize(room + padding);
  }
  // What follows the cut: the start of the next block.
  const std::size_t rest = out.size - cut;
  if (s.buf.size() < rest + padding) s.buf.resize(rest + padding);
  std::memcpy(s.buf.data(), out.bytes.data() + cut, rest);
  s.end = rest;
  s.discarded = consumed + cut;
  out.size = cut;
  out.first_line = s.line;
  s.line += count_line_breaks(out.bytes.data(), cut);
  if (rest == 0 && (s.eof || s.broken)) {
    if (s.broken) out.broken = s.input_error;
    s.done = true;
  }
  return cut != 0 || out.broken.has_value();
}

table_reader table_reader::over_block(row_block&& block, table_options options) {
  auto s = std::make_unique<state>(byte_source::from_string({}, byte_source::decoding::raw),
                                   options.delimiter, block_size());
  s->line = block.first_line;
  s->buf = std::move(block.bytes);
  if (s->buf.size() < block.size + padding) s->buf.resize(block.size + padding);
  s->end = block.size;
  s->ends.resize((s->end + 63) / 64);
  s->started = true;  // a BOM only starts the input, not a block
  if (block.broken) {
    s->broken = true;
    s->input_error = std::move(block.broken);
  } else {
    s->eof = true;  // the block ends after a whole row, or at the end of the input
  }
  if (!valid_delimiter(options.delimiter)) {
    s->failure = error{"delimiter", invalid_delimiter_message};
    s->done = true;
  }
  return table_reader(std::move(s));
}

row_block table_reader::take_block() && {
  row_block block;
  block.bytes = std::move(s_->buf);
  return block;
}

const std::optional<error>& table_reader::failure() const noexcept {
  return s_->failure;
}

}  // namespace cltv::cli
