#pragma once
// Functions of a shared library opened at run time (dlopen), on first use, so
// that start-up does not load it: libpq (io/postgres.cpp), zlib
// (io/byte_source.cpp).

#include <dlfcn.h>

namespace cltv::cli {

// Looks `name` up in an opened library into the function pointer `f`; false
// when the library lacks it.
template <typename F>
bool look_up(void* library, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(library, name));  // NOLINT: dlsym's void* to a function
  return f != nullptr;
}

}  // namespace cltv::cli
