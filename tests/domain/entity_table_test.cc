// The fund's table of entities by id: what goes in is found, what did not
// is not, entries stay where they are as the table grows, and the order of
// adding is kept.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "domain/entity_table.h"

namespace fundledger {
namespace {

TEST_CASE("an entity table finds what was added and nothing else, across its growth", "[state]") {
  EntityTable<int> table;
  CHECK(table.find("p-0") == nullptr);
  std::vector<const EntityTable<int>::Entry*> where;
  constexpr int kCount = 50'000;  // past many doublings of the index and chunks of entries
  for (int i = 0; i < kCount; ++i) {
    bool added = false;
    auto& e = table.find_or_add("p-" + std::to_string(i), added);
    REQUIRE(added);
    e.value = i;
    where.push_back(&e);
  }
  CHECK(table.size() == kCount);
  for (int i = 0; i < kCount; ++i) {
    const auto* e = table.find("p-" + std::to_string(i));
    REQUIRE(e != nullptr);
    CHECK(e == where[i]);  // never moved
    CHECK(e->value == i);
    CHECK(e->id == "p-" + std::to_string(i));
  }
  // Ids that share a prefix or a length with those in it, or are empty.
  for (const std::string id : {"p-", "p-50000", "p-00", "p-1 ", "P-1", "", "p-123456789012345678901234567890"}) {
    CHECK(table.find(id) == nullptr);
  }
  // Adding again finds the entry that is there.
  bool added = true;
  CHECK(&table.find_or_add("p-77", added) == where[77]);
  CHECK_FALSE(added);
  CHECK(table.size() == kCount);
  // In the order added.
  int expected = 0;
  bool in_order = true;
  table.for_each([&](const auto& e) { in_order = in_order && e.value == expected++; });
  CHECK(in_order);
  CHECK(expected == kCount);
}

}  // namespace
}  // namespace fundledger
