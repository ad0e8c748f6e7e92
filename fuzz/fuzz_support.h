#pragma once
// What the fuzz targets share: the input as text, and the check of a
// property the code must hold whatever the input (a failed one aborts, and
// libFuzzer keeps the input that made it fail).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fundledger::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property failed: %s\n", what);
  std::abort();
}

}  // namespace fundledger::fuzz
