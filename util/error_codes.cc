#include "util/error_codes.h"

#include <ostream>

namespace fundledger {

// The table is indexed by Code: each row's constant is its own position.
static_assert([] {
  for (std::size_t i = 0; i < kCodeCount; ++i) {
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  }
  return true;
}());

std::ostream& operator<<(std::ostream& out, Code code) { return out << code_name(code); }

}  // namespace fundledger
