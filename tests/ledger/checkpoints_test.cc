// Checkpoints the ledger signs: each verifies with the log's key and holds
// the root of the whole log; all are kept; the log not grown gives the same
// one back; and a history rewritten under a signed checkpoint is refused.

#include <sstream>

#include <catch2/catch.hpp>

#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"
#include "tests/support.h"

namespace fundledger {
namespace {

Checkpoint read(const NoteSigner& signer, const std::string& note) {
  std::string text;
  REQUIRE(NoteVerifier::parse(signer.verifier_key())->check(note, text) == "");
  Checkpoint c;
  REQUIRE(parse_checkpoint(text, c) == "");
  return c;
}

Hash root_of_log(const Store& store) {
  RootBuilder tree;
  const auto reader = store.reader();
  for (auto c = reader->hashes_from(1); c->valid(); c->next()) tree.add_leaf(c->hashes().leaf);
  return tree.root();
}

TEST_CASE("the ledger signs checkpoints of its whole log and keeps every one", "[checkpoint]") {
  test::Ledger ledger;
  const auto signer = NoteSigner::generate(ledger.store->origin());
  REQUIRE(signer.has_value());
  // The empty log.
  Result<std::string> empty = sign_checkpoint(*ledger.store, *signer);
  REQUIRE(empty.status().to_string() == "ok");
  CHECK(read(*signer, *empty) == Checkpoint{ledger.store->origin(), 0, empty_root(), {}});

  ledger.append(test::generated(600, 2));
  Result<std::string> first = sign_checkpoint(*ledger.store, *signer);
  REQUIRE(first.status().to_string() == "ok");
  CHECK(read(*signer, *first) == Checkpoint{ledger.store->origin(), 600, root_of_log(*ledger.store), {}});
  // Not grown: the same note back, nothing new signed.
  CHECK(*sign_checkpoint(*ledger.store, *signer) == *first);

  std::istringstream more(test::generated(900, 2));
  std::string line, rest;
  for (int i = 0; std::getline(more, line); ++i) {
    if (i >= 600) rest += line + "\n";
  }
  ledger.append(rest);
  Result<std::string> second = sign_checkpoint(*ledger.store, *signer);
  REQUIRE(second.status().to_string() == "ok");
  CHECK(read(*signer, *second).size == 900);
  const auto reader = ledger.store->reader();
  CHECK(*reader->get(Family::kMeta, checkpoint_key(0)) == *empty);
  CHECK(*reader->get(Family::kMeta, checkpoint_key(600)) == *first);
  CHECK((*latest_checkpoint(*reader))->first == 900);
}

TEST_CASE("a history rewritten under a signed checkpoint is refused", "[checkpoint]") {
  test::Ledger ledger;
  const auto signer = NoteSigner::generate(ledger.store->origin());
  ledger.append(test::generated(600, 4));
  REQUIRE(sign_checkpoint(*ledger.store, *signer).status().to_string() == "ok");
  ledger.close();
  {
    // The node of the first 512 leaves rewritten, as a history rewritten with
    // every hash recomputed would leave it.
    test::RawDb db(ledger.dir.path());
    const Hash other = sha256("another history");
    db.put(Family::kTree, tree_key(9, 0), std::string(other.begin(), other.end()));
  }
  ledger.reopen();
  Result<std::string> refused = sign_checkpoint(*ledger.store, *signer);
  CHECK(refused.status().code() == "inconsistent_checkpoint");
  CHECK(refused.status().message().starts_with(
      "the log no longer holds the tree of the checkpoint signed at size 600: its root was "));
}

}  // namespace
}  // namespace fundledger
