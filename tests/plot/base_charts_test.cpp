// Being written.
#include <catch2/catch.hpp>
