// write_number (the JSON/CSV number writer): 8 bytes → a double; when finite,
// the text is JSON number grammar, stays within its 32 bytes, and reads back
// (std::from_chars) as exactly the same double; append_number agrees.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "check.hpp"
#include "io/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size != sizeof(double)) return 0;
  double x = 0;
  std::memcpy(&x, data, sizeof x);
  if (!std::isfinite(x)) return 0;

  char buffer[64];
  std::memset(buffer, 'X', sizeof buffer);
  const char* end = cltv::cli::write_number(buffer, x);
  CLTV_FUZZ_CHECK(end > buffer && end <= buffer + 32);
  for (const char* p = buffer + 32; p < buffer + sizeof buffer; ++p)
    CLTV_FUZZ_CHECK(*p == 'X');  // within its documented 32 bytes
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  CLTV_FUZZ_CHECK(cltv::fuzz::is_json_number(text));
  CLTV_FUZZ_CHECK(cltv::fuzz::reads_back_as(text, x));

  std::string appended = "prefix";
  cltv::cli::append_number(appended, x);
  CLTV_FUZZ_CHECK(std::string_view(appended).substr(6) == text);
  return 0;
}
