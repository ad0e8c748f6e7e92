#pragma once
// Events for tests of every part from the domain up: JSON lines decoded
// into drafts, generated streams and variations of them that the rules may
// refuse, and every view of a fund as text. Links the domain alone.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "domain/state.h"

namespace fundledger::test {

// Decodes JSON lines into drafts; a line that does not decode fails the test.
std::vector<Draft> drafts(std::string_view jsonl);

// `count` generated events, as JSON lines, from seed `seed`.
std::string generated(std::size_t count, std::uint64_t seed);

// A small deterministic random source for choosing mutations (splitmix64).
class Dice {
 public:
  explicit Dice(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  bool one_in(std::uint64_t n) { return next() % n == 0; }

 private:
  std::uint64_t state_;
};

// A variation of a valid event line that the rules may or may not accept:
// its amounts tenfold, a reference to something that does not exist, or
// the same record again. It gets its own event id, so that it is a new
// event.
std::string mutate(const std::string& line, Dice& dice);

// Every view of a fund, as one string: the fund, the lists, and each donor,
// call and named proposal.
std::string all_views(const FundState& s, const std::vector<std::string>& proposals);

}  // namespace fundledger::test
