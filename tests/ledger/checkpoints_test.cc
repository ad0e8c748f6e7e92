// Checkpoints the ledger signs: each verifies with the log's key and holds
// the root of the whole log; all are kept; the log not grown gives the same
// one back; and a history rewritten under a signed checkpoint is refused.

#include <sstream>

#include <catch2/catch.hpp>

#include "audit/checkpoint.h"
#include "audit/cosignature.h"
#include "audit/merkle.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"
#include "tests/support.h"

namespace fundledger {
namespace {

Checkpoint read(const NoteSigner& signer, const std::string& note) {
  const Result<Checkpoint> c = read_checkpoint_note(note, *NoteVerifier::parse(signer.verifier_key()));
  REQUIRE(c.status().to_string() == "ok");
  return *c;
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
  CHECK(refused.status().code() == Code::kInconsistentCheckpoint);
  CHECK(refused.status().message().starts_with(
      "the log no longer holds the tree of the checkpoint signed at size 600: its root was "));
}

// Verify's check of the checkpoints kept, on `store`.
std::optional<Failure> kept_failure(const Store& store, const NoteSigner& signer, std::uint64_t& count) {
  const auto reader = store.reader();
  Result<KeptCheckpoints> r = verify_kept_checkpoints(*reader, *NoteVerifier::parse(signer.verifier_key()));
  REQUIRE(r.status().to_string() == "ok");
  count = r->count;
  return r->failure;
}

TEST_CASE("verify checks every kept checkpoint against the log", "[checkpoint]") {
  test::Ledger ledger;
  const auto signer = NoteSigner::generate(ledger.store->origin());
  std::istringstream lines(test::generated(900, 6));
  std::string line, part;
  for (int i = 0; i < 900 && std::getline(lines, line); ++i) {
    part += line + "\n";
    if ((i + 1) % 300 == 0) {
      ledger.append(part);
      part.clear();
      REQUIRE(sign_checkpoint(*ledger.store, *signer).status().to_string() == "ok");
    }
  }
  std::uint64_t count = 0;
  CHECK_FALSE(kept_failure(*ledger.store, *signer, count).has_value());
  CHECK(count == 3);
  ledger.close();

  SECTION("another key's checkpoints do not verify") {
    ledger.reopen();
    const auto other = NoteSigner::generate(ledger.store->origin());
    const std::optional<Failure> f = kept_failure(*ledger.store, *other, count);
    REQUIRE(f.has_value());
    CHECK(f->check == Code::kCheckpointSignature);
  }
  SECTION("a kept checkpoint whose root the log no longer gives, bounded by those that still match") {
    {
      // The node of leaves 1..512 rewritten: the roots at 600 and 900 read
      // it, the root at 300 does not.
      test::RawDb db(ledger.dir.path());
      const Hash other = sha256("another history");
      db.put(Family::kTree, tree_key(9, 0), std::string(other.begin(), other.end()));
    }
    ledger.reopen();
    const std::optional<Failure> f = kept_failure(*ledger.store, *signer, count);
    REQUIRE(f.has_value());
    CHECK(f->check == Code::kCheckpointRoot);
    CHECK(f->seq == 0);
    CHECK(f->message ==
          "the log's first 600 events are not those of the checkpoint signed at that size: an event from seq 301 "
          "to 600 changed");
  }
  SECTION("a kept checkpoint beyond the log: it shrank") {
    {
      test::RawDb db(ledger.dir.path());
      db.put(Family::kMeta, checkpoint_key(1200),
             signer->sign(checkpoint_text(Checkpoint{signer->name(), 1200, sha256("x"), {}})));
    }
    ledger.reopen();
    const std::optional<Failure> f = kept_failure(*ledger.store, *signer, count);
    REQUIRE(f.has_value());
    CHECK(f->check == Code::kCheckpointSize);
    CHECK(f->seq == 901);
    CHECK(f->expected == "1200");
    CHECK(f->found == "900");
  }
}

TEST_CASE("a kept checkpoint carries one cosignature a witness, the latest, and still verifies", "[checkpoint][witness]") {
  test::Ledger ledger;
  ledger.append(test::generated(50, 2));
  const NoteSigner signer = *NoteSigner::generate(ledger.store->origin());
  const std::string note = *sign_checkpoint(*ledger.store, signer);
  const std::string text = note.substr(0, note.find("\n\n") + 1);
  const Cosigner a = *Cosigner::generate("a.witness.example");
  const Cosigner b = *Cosigner::generate("b.witness.example");
  const auto kept = [&] { return **ledger.store->reader()->get(Family::kMeta, checkpoint_key(50)); };
  const auto lines = [](const std::string& n) { return split_note(n)->signatures.size(); };
  REQUIRE(add_cosignatures(*ledger.store, 50, a.cosign(text, 100)).is_ok());
  CHECK(kept() == note + a.cosign(text, 100));
  // The same line again changes nothing; a later one of the same witness
  // takes its place (the server restarted and pushed again).
  REQUIRE(add_cosignatures(*ledger.store, 50, a.cosign(text, 100)).is_ok());
  CHECK(lines(kept()) == 2);
  REQUIRE(add_cosignatures(*ledger.store, 50, a.cosign(text, 200) + b.cosign(text, 200)).is_ok());
  CHECK(kept() == note + a.cosign(text, 200) + b.cosign(text, 200));
  CHECK(read(signer, kept()).size == 50);
  CHECK(add_cosignatures(*ledger.store, 49, a.cosign(text, 1)).code() == Code::kNotFound);
}

}  // namespace
}  // namespace fundledger
