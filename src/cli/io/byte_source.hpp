#pragma once
// The bytes of an input, in blocks: a file, stdin ("-") or a string, gzip
// decompressed when asked for and its magic (1f 8b) says so. The one place
// the readers (table_reader, ndjson_rows, record_reader, model files) open,
// read and decompress.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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

  /// Opens `path` ("-": stdin, left open at the end). Fails, naming the path
  /// and the reason, when it cannot be opened or is a directory:
  /// `cannot open "PATH": No such file or directory`.
  [[nodiscard]] static result<byte_source> open(const std::string& path, decoding how,
                                                std::size_t block = default_block);

  /// The bytes of `text` instead of a file (tests, fuzzing), handed over at
  /// most `block` raw bytes a read (0: all that fit).
  [[nodiscard]] static byte_source from_string(std::string text, decoding how,
                                               std::size_t block = 0);

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

}  // namespace cltv::cli
