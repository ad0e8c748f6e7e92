// The proofs (audit/proof.h), two ways. The first byte chooses:
//   'j'  the rest is a proof as JSON, in the form of tests/testdata
//        ({"kind":"inclusion","index","size","leaf","root","path"} or
//        {"kind":"consistency","first","second","first_root",
//        "second_root","path"}), read with the strict reader and checked
//   else the bytes build a tree of up to 64 leaves and name a proof in it
//        and a change to it: the proof made must verify, and a changed
//        one must not
// Lengths are checked against the tree's shape before any hashing, so no
// size, however large, makes a check slow.

#include <string>
#include <vector>

#include "audit/proof.h"
#include "fuzz/fuzz_support.h"
#include "util/json.h"

using namespace fundledger;

namespace {

std::optional<Hash> hash_member(const nlohmann::json& doc, const char* key) {
  if (!doc.contains(key) || !doc[key].is_string()) return std::nullopt;
  return hash_from_hex(doc[key].get<std::string>());
}

std::optional<std::uint64_t> size_member(const nlohmann::json& doc, const char* key) {
  if (!doc.contains(key) || !doc[key].is_number_integer() || doc[key].get<std::int64_t>() < 0) return std::nullopt;
  return doc[key].get<std::uint64_t>();
}

void json_proof(std::string_view text) {
  Result<nlohmann::json> doc = parse_json(text, JsonLimits{});
  if (!doc || !doc->is_object() || !doc->contains("kind") || !doc->contains("path") || !(*doc)["path"].is_array()) {
    return;
  }
  std::vector<Hash> path;
  for (const nlohmann::json& h : (*doc)["path"]) {
    if (!h.is_string()) return;
    const std::optional<Hash> hash = hash_from_hex(h.get<std::string>());
    if (!hash) return;
    path.push_back(*hash);
  }
  const nlohmann::json& kind = (*doc)["kind"];
  if (kind.is_string() && kind == "inclusion") {
    const auto index = size_member(*doc, "index");
    const auto size = size_member(*doc, "size");
    const auto leaf = hash_member(*doc, "leaf");
    const auto root = hash_member(*doc, "root");
    if (index && size && leaf && root) (void)check_inclusion(*index, *size, *leaf, path, *root);
  } else {
    const auto first = size_member(*doc, "first");
    const auto second = size_member(*doc, "second");
    const auto first_root = hash_member(*doc, "first_root");
    const auto second_root = hash_member(*doc, "second_root");
    if (first && second && first_root && second_root) (void)check_consistency(*first, *second, *first_root, *second_root, path);
  }
}

// Reads the bytes one at a time, zero when they run out.
struct Bytes {
  std::string_view rest;
  std::uint8_t next() {
    if (rest.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest.front());
    rest.remove_prefix(1);
    return b;
  }
};

// Changes one bit of one hash of `path`, or drops or adds a hash, as `how`
// says; false when `how` asks for no change.
bool change(std::vector<Hash>& path, std::uint8_t how, std::uint8_t where) {
  switch (how % 4) {
    case 0: return false;
    case 1:
      if (path.empty()) return false;
      path[where % path.size()][where % 32] ^= static_cast<std::uint8_t>(1u << (how % 8));
      return true;
    case 2:
      if (path.empty()) return false;
      path.erase(path.begin() + where % path.size());
      return true;
    default: path.push_back(sha256(std::string(1, static_cast<char>(where)))); return true;
  }
}

void tree_proof(Bytes in) {
  const std::uint64_t size = in.next() % 64 + 1;
  std::vector<Hash> leaves;
  for (std::uint64_t i = 0; i < size; ++i) leaves.push_back(leaf_hash("leaf " + std::to_string(i)));
  const LeavesSource source(leaves);
  const std::uint64_t a = in.next() % size;
  const std::uint64_t b = a + in.next() % (size - a) + 1;  // a < b <= size
  const Hash root_b = *tree_root(source, b);
  const std::uint8_t how = in.next(), where = in.next();

  std::vector<Hash> inclusion = *inclusion_proof(source, a, b);
  const bool changed = change(inclusion, how, where);
  const Status included = check_inclusion(a, b, leaves[a], inclusion, root_b);
  fuzz::require(included.is_ok() == !changed, "an inclusion proof verifies exactly when unchanged");

  std::vector<Hash> consistency = *consistency_proof(source, a + 1, b);
  const bool changed_c = change(consistency, in.next(), in.next());
  const Status consistent = check_consistency(a + 1, b, *tree_root(source, a + 1), root_b, consistency);
  fuzz::require(consistent.is_ok() == !changed_c, "a consistency proof verifies exactly when unchanged");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = fuzz::text_of(data + 1, size - 1);
  if (data[0] == 'j') {
    json_proof(rest);
  } else {
    tree_proof(Bytes{rest});
  }
  return 0;
}
