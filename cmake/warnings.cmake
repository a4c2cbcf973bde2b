# Warnings as an INTERFACE target linked PRIVATE: consumers never inherit them.
add_library(cltv_warnings INTERFACE)
target_compile_options(cltv_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wold-style-cast -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  # -Wnull-dereference is left out: GCC 12 fires it falsely inside libstdc++'s
  # basic_string.h at -O2, which would break -Werror builds.
  $<$<BOOL:${CLTV_WERROR}>:-Werror>)
