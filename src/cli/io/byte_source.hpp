#pragma once
// The bytes of an input, in blocks: a file, stdin ("-") or a string, gzip
// decompressed when asked for and its magic (1f 8b) says so. The one place
// the readers (table_reader, ndjson_rows, record_reader, model files) open,
// read and decompress; and text_window, the buffer and line splitting of the
// readers that consume their text from the front (ndjson_rows, record_reader).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"

namespace cltv::cli {

class byte_source {
 public:
  enum class decoding {
    raw,             ///< the bytes as stored
    gunzip_by_magic  ///< decompressed when they start with gzip's magic; concatenated
                     ///< members read as one text, as gzip -d reads them
  };

  /// 1 MiB: the compressed bytes read at a time.
  static constexpr std::size_t default_block = std::size_t{1} << 20;

  /// The first buffer for a text of `text_bytes` read in blocks of `block`:
  /// the text's size (+1 to see its end in the same read) rounded up to a
  /// page, when that is less than a block: a small file does not zero-fill
  /// and fault in a whole block for nothing. gzip text may be longer; the
  /// readers then grow the buffer by doubling.
  [[nodiscard]] static constexpr std::size_t first_block(std::size_t text_bytes,
                                                         std::size_t block) noexcept {
    constexpr std::size_t page = 4096;
    const std::size_t sized = (text_bytes / page + 1) * page;
    return sized < block ? sized : block;
  }

  /// Opens `path` ("-": stdin, left open at the end); gzip input is read
  /// `block` compressed bytes at a time. Fails, naming the path and the
  /// reason, when it cannot be opened or is a directory:
  /// `cannot open "PATH": No such file or directory`.
  [[nodiscard]] static result<byte_source> open(const std::string& path, decoding how,
                                                std::size_t block = default_block);

  /// The bytes of `text` instead of a file (tests, fuzzing), handed over at
  /// most `block` raw bytes a read (0: all that fit).
  [[nodiscard]] static byte_source from_string(std::string text, decoding how,
                                               std::size_t block = 0);
  /// The same over a text shared with its owner (a database's result held
  /// for the command): read without a copy.
  [[nodiscard]] static byte_source from_shared(std::shared_ptr<const std::string> text,
                                               decoding how, std::size_t block = 0);

  byte_source(byte_source&&) noexcept;
  byte_source& operator=(byte_source&&) noexcept;
  ~byte_source();

  /// Reads into [dst, dst + n): a file's bytes as one read(2) returns them;
  /// decompressed text as much as fits (less only at its end). `got` == 0 at
  /// the end. False on a read error or damaged gzip data: failure() says
  /// which, and `got` still counts the bytes before it.
  [[nodiscard]] bool read(char* dst, std::size_t n, std::size_t& got);

  /// "stdin", the path as given, or "text".
  [[nodiscard]] const std::string& name() const noexcept;

  /// The size of a regular file as stored; nullopt for stdin, pipes and strings.
  [[nodiscard]] std::optional<std::uint64_t> file_size() const noexcept;

  /// Why read() failed: `cannot read "NAME": REASON` or `NAME: damaged gzip data (WHY)`.
  [[nodiscard]] const std::optional<error>& failure() const noexcept;

 private:
  struct state;
  explicit byte_source(std::unique_ptr<state> s);
  std::unique_ptr<state> s_;  // on the heap: zlib's stream must not move
};

/// A byte_source's text in one growing buffer, consumed from the front:
/// [begin, end) of buf is text not yet consumed, with `padding` readable
/// bytes after end (for the SIMD scans and parsers). Memory grows with the
/// longest line (or what a reader keeps), never with the input.
struct text_window {
  text_window(byte_source bytes, std::size_t first_block, std::size_t padding_bytes);

  /// Moves the unconsumed text to the front, doubles the buffer when that
  /// text fills it, and reads once. False when nothing came: at the end
  /// (then eof) or on a read error (then broken, and failure() says which;
  /// the text read before it stays).
  bool fill();

  /// Reads on until there are 3 bytes or the input ends, and skips a UTF-8
  /// byte order mark at the front.
  void skip_bom();

  /// The next line that is not blank, trimmed of JSON whitespace (so of a
  /// CR before the LF), and the 1-based number of the line it is on; nullopt
  /// at the end of the text or after a read error (which drops the line it
  /// cut; the lines before it come first). The text is valid until the next
  /// call (or fill()).
  std::optional<std::string_view> next_line(std::size_t& number);

  [[nodiscard]] const std::optional<error>& failure() const noexcept { return source.failure(); }
  /// Bytes consumed so far.
  [[nodiscard]] std::uint64_t consumed() const noexcept { return discarded + begin; }

  byte_source source;
  std::size_t block;    // the first buffer's size
  std::size_t padding;  // readable bytes after the text
  std::vector<char> buf;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t scan = 0;         // bytes before this were searched for a line break
  std::uint64_t discarded = 0;  // bytes consumed and moved out
  std::size_t line = 1;         // the line at begin
  bool eof = false;
  bool broken = false;
};

}  // namespace cltv::cli
