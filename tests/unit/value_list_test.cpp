// Tests of cltv/value_list.hpp (tag [value_list]): the list syntax that
// grid's axes and predict's --horizon and --pmf share.

#include "cltv/value_list.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using cltv::number_style;
using cltv::parse_value_list;

namespace {

std::vector<double> values(const char* text, number_style style = number_style::plain) {
  auto v = parse_value_list("horizon", text, style, 1000);
  if (!v) FAIL(v.error().message);
  return *v;
}

std::string failure(const char* text, std::size_t max_values = 1000) {
  auto v = parse_value_list("pmf", text, number_style::plain, max_values);
  if (v) FAIL("accepted " << text);
  CHECK(v.error().field == "pmf");
  return v.error().message;
}

}  // namespace

TEST_CASE("A list, a counted range and an integer range", "[value_list]") {
  CHECK(values("13,26,39") == std::vector<double>{13, 26, 39});
  CHECK(values("52") == std::vector<double>{52});
  CHECK(values("0..52:5") == std::vector<double>{0, 13, 26, 39, 52});
  CHECK(values("0..4") == std::vector<double>{0, 1, 2, 3, 4});
  CHECK(values("7..7") == std::vector<double>{7});  // one integer
  CHECK(values("-2..1") == std::vector<double>{-2, -1, 0, 1});
  CHECK(values("2%..4%:3", number_style::rate) == std::vector<double>{0.02, 0.03, 0.04});
  // The last point is the given end exactly, not from + (n−1)·step.
  CHECK(values("0.1..0.7:7").back() == 0.7);
}

TEST_CASE("Bad lists say what is wrong", "[value_list]") {
  CHECK_THAT(failure("0.5..3"), Catch::Matchers::Contains("whole-number ends") &&
                                    Catch::Matchers::Contains("0.5..3:5"));
  CHECK_THAT(failure("5..1"), Catch::Matchers::Contains("reversed range"));
  CHECK_THAT(failure("1..5:1"), Catch::Matchers::Contains("count >= 2"));
  CHECK_THAT(failure("1..5:x"), Catch::Matchers::Contains("count must be a whole number"));
  CHECK_THAT(failure("3..3:4"), Catch::Matchers::Contains("empty range"));
  CHECK_THAT(failure(""), Catch::Matchers::Contains("empty list"));
  CHECK_THAT(failure("1,,2"), Catch::Matchers::Contains("empty value"));
  CHECK_THAT(failure("..4"), Catch::Matchers::Contains("empty range end"));
  CHECK_THAT(failure("1,x"), Catch::Matchers::Contains("x"));
  CHECK_THAT(failure("0..10", 5), Catch::Matchers::Contains("more than 5 values"));
  CHECK_THAT(failure("0..1:6", 5), Catch::Matchers::Contains("at most 5"));
  CHECK_THAT(failure("1,2,3,4,5,6", 5), Catch::Matchers::Contains("more than 5 values"));
  CHECK_THAT(failure("0..1e300"), Catch::Matchers::Contains("within ±9007199254740992"));
  CHECK_THAT(failure("0..1e15"), Catch::Matchers::Contains("more than 1000 values"));
  // Found by fuzzing (corpus/value_list/finding-past-2-53): ends past 2^53,
  // where adding 1 changes nothing; the first version looped until out of memory.
  CHECK_THAT(failure("44444411111114444444..44444411111114444444.31111111104933"),
             Catch::Matchers::Contains("within ±"));
}
