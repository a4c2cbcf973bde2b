#include "io/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "io/json_scan.hpp"
#include "io/shared_library.hpp"

namespace cltv::cli {

namespace {

// The first raw bytes, read to look for the gzip magic: a small file's
// whole, and never more than a plain file's first block needs.
constexpr std::size_t head_size = std::size_t{64} << 10;

// The zlib functions a gzip input needs. zlib is opened on the first gzip
// input, not linked: a run that never reads one does not map it at start-up
// (bench/RESULTS.md, 2026-12-06: one library fewer to load and relocate).
struct zlib_api {
  decltype(&inflateInit2_) init = nullptr;
  decltype(&inflate) inflate_some = nullptr;
  decltype(&inflateReset) reset = nullptr;
  decltype(&inflateEnd) end = nullptr;
};

// zlib opened and its functions looked up (never closed: a later gzip input
// uses them again).
result<zlib_api> open_zlib() {
  const auto opened = open_shared_library(
      "libz.so.1", "input",
      "reading gzip input needs zlib, which could not be loaded (Debian: apt-get install "
      "zlib1g): ");
  if (!opened) return opened.error();
  void* const library = *opened;
  zlib_api z;
  if (!look_up(library, "inflateInit2_", z.init) || !look_up(library, "inflate", z.inflate_some) ||
      !look_up(library, "inflateReset", z.reset) || !look_up(library, "inflateEnd", z.end))
    return error{"input", "the zlib found (libz.so.1) lacks a function cltv needs"};
  return z;
}

result<const zlib_api*> load_zlib() {
  static const result<zlib_api> loaded = open_zlib();
  if (!loaded) return loaded.error();
  return &*loaded;
}

}  // namespace

struct byte_source::state {
  state(std::string source_name, decoding decode, std::size_t block_bytes)
      : name(std::move(source_name)), how(decode), block(block_bytes) {}
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  ~state() {
    if (gzip) z->end(&zs);
    if (owns_fd) ::close(fd);
  }

  bool fail(std::string message) {
    if (!failure) failure = error{"input", std::move(message)};
    return false;
  }

  bool damaged(const std::string& why) { return fail(name + ": damaged gzip data (" + why + ")"); }

  // Raw bytes, in order: the head read to look for the gzip magic, then the
  // rest of the file (or string). False on a read error; got == 0 at the end.
  bool read_raw(char* dst, std::size_t n, std::size_t& got) {
    got = 0;
    if (head_pos < head.size()) {
      got = std::min(n, head.size() - head_pos);
      std::memcpy(dst, head.data() + head_pos, got);
      head_pos += got;
      return true;
    }
    if (raw_eof) return true;
    if (from_text) {
      got = std::min({n, text->size() - text_pos, block == 0 ? n : block});
      std::memcpy(dst, text->data() + text_pos, got);
      text_pos += got;
    } else {
      for (;;) {
        const ssize_t r = ::read(fd, dst, n);
        if (r >= 0) {
          got = static_cast<std::size_t>(r);
          break;
        }
        if (errno == EINTR) continue;
        return fail("cannot read \"" + name + "\": " + std::strerror(errno));
      }
    }
    if (got == 0) raw_eof = true;
    return true;
  }

  // Looks at the first two raw bytes for the gzip magic.
  bool start() {
    started = true;
    if (how == decoding::raw) return true;
    bool magic = false;
    if (from_text) {
      magic = text->size() >= 2 && (*text)[0] == '\x1f' && (*text)[1] == '\x8b';
    } else {
      // A small file's head is the file (+1 to see its end): no 64 KiB zero-filled for it.
      head.resize(size && *size < head_size ? static_cast<std::size_t>(*size) + 1 : head_size);
      std::size_t got = 0;
      while (got < 2) {
        const ssize_t r = ::read(fd, head.data() + got, head.size() - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
          head.resize(got);
          return fail("cannot read \"" + name + "\": " + std::strerror(errno));
        }
        if (r == 0) {
          raw_eof = true;
          break;
        }
        got += static_cast<std::size_t>(r);
      }
      head.resize(got);
      magic = got >= 2 && head[0] == '\x1f' && head[1] == '\x8b';
    }
    if (!magic) return true;
    const auto loaded = load_zlib();
    if (!loaded) return fail(name + ": " + loaded.error().message);
    z = *loaded;
    // 16 + MAX_WBITS: gzip framing only (the magic said so). What zlib's
    // inflateInit2 macro passes, written out: the macro names the function.
    if (z->init(&zs, 16 + MAX_WBITS, ZLIB_VERSION, static_cast<int>(sizeof(z_stream))) != Z_OK)
      return damaged("cannot start the decoder");
    gzip = true;
    // The compressed bytes are read in blocks, or in one go when they are
    // fewer: a small input does not zero-fill a whole block.
    const std::size_t most = block == 0 ? default_block : std::min(block, default_block);
    const std::optional<std::uint64_t> raw = from_text ? text->size() : size;
    zin.resize(raw && *raw < most ? std::max<std::size_t>(4096, static_cast<std::size_t>(*raw) + 1)
                                  : most);
    return true;
  }

  // Inflates into [dst, dst + n): as much as fits, less only at the end of
  // the last member. Members are concatenated, as gzip -d does. On damage,
  // `got` still counts the text inflated before it.
  bool inflate_into(char* dst, std::size_t n, std::size_t& got) {
    zs.next_out = reinterpret_cast<Bytef*>(dst);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(n, UINT_MAX));
    const uInt wanted = zs.avail_out;
    const bool ok = inflate_some();
    got = wanted - zs.avail_out;
    return ok;
  }

  bool inflate_some() {
    while (zs.avail_out > 0) {
      if (zs.avail_in == 0 && !raw_eof) {
        std::size_t in = 0;
        if (!read_raw(zin.data(), zin.size(), in)) return false;
        zs.next_in = reinterpret_cast<Bytef*>(zin.data());
        zs.avail_in = static_cast<uInt>(in);
        continue;
      }
      if (member_done) {
        if (zs.avail_in == 0) break;  // the end of the last member
        if (z->reset(&zs) != Z_OK) return damaged("cannot restart the decoder");
        member_done = false;
      }
      const int rc = z->inflate_some(&zs, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done = true;
      } else if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
        if (raw_eof) return damaged("unexpected end of file");
      } else if (rc != Z_OK) {
        return damaged(zs.msg != nullptr ? zs.msg : "zlib error " + std::to_string(rc));
      }
    }
    return true;
  }

  std::string name;
  const decoding how;
  const std::size_t block;

  int fd = -1;
  bool owns_fd = false;
  std::optional<std::uint64_t> size;
  bool from_text = false;
  std::shared_ptr<const std::string> text;  // shared: a fetched result is not copied
  std::size_t text_pos = 0;
  std::vector<char> head;
  std::size_t head_pos = 0;
  bool raw_eof = false;
  bool started = false;

  const zlib_api* z = nullptr;  // set with the first gzip magic
  z_stream zs{};
  std::vector<char> zin;
  bool gzip = false;
  bool member_done = false;

  std::optional<error> failure;
};

result<byte_source> byte_source::open(const std::string& path, decoding how, std::size_t block) {
  if (path == "-") {
    auto s = std::make_unique<state>("stdin", how, block);
    s->fd = STDIN_FILENO;
    return byte_source(std::move(s));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return error{"input", "cannot open \"" + path + "\": " + std::strerror(errno)};
  auto s = std::make_unique<state>(path, how, block);
  s->fd = fd;
  s->owns_fd = true;
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return error{"input", "cannot open \"" + path + "\": " + std::strerror(EISDIR)};
    if (S_ISREG(st.st_mode) && st.st_size >= 0) s->size = static_cast<std::uint64_t>(st.st_size);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint: its failure changes nothing
  return byte_source(std::move(s));
}

byte_source byte_source::from_string(std::string text, decoding how, std::size_t block) {
  return from_shared(std::make_shared<const std::string>(std::move(text)), how, block);
}

byte_source byte_source::from_shared(std::shared_ptr<const std::string> text, decoding how,
                                     std::size_t block) {
  auto s = std::make_unique<state>("text", how, block);
  s->from_text = true;
  s->text = std::move(text);
  return byte_source(std::move(s));
}

byte_source::byte_source(std::unique_ptr<state> s) : s_(std::move(s)) {}
byte_source::byte_source(byte_source&&) noexcept = default;
byte_source& byte_source::operator=(byte_source&&) noexcept = default;
byte_source::~byte_source() = default;

bool byte_source::read(char* dst, std::size_t n, std::size_t& got) {
  state& s = *s_;
  got = 0;
  if (s.failure || (!s.started && !s.start())) return false;
  return s.gzip ? s.inflate_into(dst, n, got) : s.read_raw(dst, n, got);
}

const std::string& byte_source::name() const noexcept {
  return s_->name;
}

std::optional<std::uint64_t> byte_source::file_size() const noexcept {
  return s_->size;
}

const std::optional<error>& byte_source::failure() const noexcept {
  return s_->failure;
}

text_window::text_window(byte_source bytes, std::size_t first_block, std::size_t padding_bytes)
    : source(std::move(bytes)), block(first_block), padding(padding_bytes) {}

bool text_window::fill() {
  if (eof || broken) return false;
  if (begin > 0) {
    std::memmove(buf.data(), buf.data() + begin, end - begin);
    discarded += begin;
    end -= begin;
    scan -= std::min(scan, begin);
    begin = 0;
  }
  const std::size_t capacity = buf.empty() ? 0 : buf.size() - padding;
  if (buf.empty()) {
    // A small file needs no full first block: its size (+1 to see the end in
    // the same read) is enough, and zero-filling 1 MiB for a 1 KB file is
    // most of its cost (the record reader opens one per batch file).
    const auto size = source.file_size();
    buf.resize((size ? byte_source::first_block(static_cast<std::size_t>(*size), block) : block) +
               padding);
  } else if (end == capacity) {
    // A record longer than the window: double it (from a first block sized by
    // a small gzip file too, rather than jumping to the whole block).
    buf.resize(capacity * 2 + padding);
  }
  std::size_t got = 0;
  const bool ok = source.read(buf.data() + end, buf.size() - padding - end, got);
  end += got;
  if (!ok) {
    broken = true;
    return false;
  }
  if (got == 0) eof = true;
  return got > 0;
}

void text_window::skip_bom() {
  while (end - begin < 3 && fill()) {
  }
  if (end - begin >= 3 && std::memcmp(buf.data() + begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;
  scan = std::max(scan, begin);
}

std::optional<std::string_view> text_window::next_line(std::size_t& number) {
  for (;;) {
    if (scan < begin) scan = begin;
    const auto* nl = static_cast<const char*>(
        scan < end ? std::memchr(buf.data() + scan, '\n', end - scan) : nullptr);
    std::size_t line_end = 0;
    std::size_t next_begin = 0;
    if (nl != nullptr) {
      line_end = static_cast<std::size_t>(nl - buf.data());
      next_begin = line_end + 1;
    } else {
      scan = end;                          // searched up to here
      if (fill()) continue;                // (it may move buf, even when it returns false)
      if (broken && scan < end) continue;  // the lines read before the error first
      // After a read error the cut line is dropped: the lines before it stay.
      if (broken || begin == end) return std::nullopt;
      line_end = next_begin = end;  // the last line, without a line break
    }
    number = line++;
    std::size_t start = begin;
    begin = scan = next_begin;
    while (line_end > start && is_json_space(buf[line_end - 1])) --line_end;  // CR, blanks
    while (start < line_end && is_json_space(buf[start])) ++start;
    if (start < line_end) return std::string_view(buf.data() + start, line_end - start);
  }
}

}  // namespace cltv::cli
