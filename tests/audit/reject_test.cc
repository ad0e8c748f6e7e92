// Known-bad inputs, one per data file in tests/testdata/reject: every one
// is refused with exactly the failure its file names, and the valid inputs
// they were made from are accepted.

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/note.h"
#include "audit/proof.h"
#include "tests/audit/audit_support.h"

namespace fundledger {
namespace {

Hash hex(const nlohmann::json& j) {
  const std::optional<Hash> h = hash_from_hex(j.get<std::string>());
  REQUIRE(h.has_value());
  return *h;
}

std::vector<Hash> hex_list(const nlohmann::json& j) {
  std::vector<Hash> out;
  for (const auto& h : j) out.push_back(hex(h));
  return out;
}

// What the check of the input says.
Status check(const nlohmann::json& input) {
  const std::string kind = input["kind"];
  if (kind == "inclusion") {
    return check_inclusion(input["index"], input["size"], hex(input["leaf"]), hex_list(input["path"]),
                           hex(input["root"]));
  }
  if (kind == "consistency") {
    return check_consistency(input["first"], input["second"], hex(input["first_root"]),
                             hex(input["second_root"]), hex_list(input["path"]));
  }
  REQUIRE(kind == "note");
  const std::optional<NoteVerifier> verifier = NoteVerifier::parse(input["verifier_key"].get<std::string>());
  REQUIRE(verifier.has_value());
  return verifier->check(input["note"].get<std::string>()).status();
}

TEST_CASE("the valid proofs and note that the bad inputs were made from are accepted", "[proof][note]") {
  for (const std::string name : {"accept-inclusion.json", "accept-consistency.json", "accept-note.json"}) {
    INFO(name);
    CHECK(check(test::read_testdata(name)).to_string() == "ok");
  }
}

TEST_CASE("every known-bad proof and note in tests/testdata/reject is refused with the failure it names", "[proof][note]") {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(FUNDLEDGER_TESTDATA) / "reject")) {
    const nlohmann::json input = test::read_testdata(entry.path());
    INFO(entry.path().filename().string() << ": " << input["why"].get<std::string>());
    REQUIRE(input["failure"].is_string());
    CHECK(code_name(check(input).code()) == input["failure"].get<std::string>());
    ++files;
  }
  CHECK(files == 40);
}

}  // namespace
}  // namespace fundledger
