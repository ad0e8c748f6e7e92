#include "tests/events.h"

#include <sstream>

#include <catch2/catch.hpp>

#include "domain/generator.h"

namespace fundledger::test {

std::vector<Draft> drafts(std::string_view jsonl) {
  std::vector<Draft> out;
  std::istringstream in{std::string(jsonl)};
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Result<Draft> d = decode_draft(line);
    INFO(line);
    REQUIRE(d.status().to_string() == "ok");
    out.push_back(std::move(*d));
  }
  return out;
}

std::string generated(std::size_t count, std::uint64_t seed) {
  Generator gen(GeneratorOptions{seed, "2014-01-01"});
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += gen.next();
    out += '\n';
  }
  return out;
}

}  // namespace fundledger::test
