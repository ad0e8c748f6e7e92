#pragma once
// Events for tests of every part from the domain up: JSON lines decoded
// into drafts, and generated streams. Links the domain alone.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"

namespace fundledger::test {

// Decodes JSON lines into drafts; a line that does not decode fails the test.
std::vector<Draft> drafts(std::string_view jsonl);

// `count` generated events, as JSON lines, from seed `seed`.
std::string generated(std::size_t count, std::uint64_t seed);

}  // namespace fundledger::test
