// The unit tests' main: Catch2's, plus one gate. `cltv_unit_tests
// --needs-avx2 "[avx2]"` runs the vector-kernel test only on a CPU that has
// the kernel (AVX2 and FMA); elsewhere it says so and exits 77, which ctest
// reports as Skipped instead of a pass that tested nothing.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <string_view>
#include <vector>

#include "models/bgnbd_kernel.hpp"

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  if (args.size() > 1 && std::string_view(args[1]) == "--needs-avx2") {
    if (!cltv::models::detail::bgnbd_vector_kernel()) {
      std::puts("skipped: this CPU has no AVX2/FMA, so only the portable kernel exists here");
      return 77;
    }
    args.erase(args.begin() + 1);
  }
  return Catch::Session().run(static_cast<int>(args.size()), args.data());
}
