// Receipts (c2sp.org/tlog-proof): a receipt made of a log's event verifies
// offline with the log's key or a policy alone; a receipt of a forged log
// under the same key fails the policy; any byte of its path or event
// changed is refused.

#include <catch2/catch.hpp>

#include "tests/audit/audit_support.h"

#include "audit/merkle.h"
#include "audit/proof.h"
#include "audit/receipt.h"

namespace fundledger {
namespace {

using test::seed_of;

struct Log {
  NoteSigner key = *NoteSigner::from_seed("fund.example/ledger", seed_of(1));
  Cosigner board = *Cosigner::from_seed("w.board.example", seed_of(2));
  Cosigner donor = *Cosigner::from_seed("w.donor.example", seed_of(3));
  std::vector<std::string> events;
  std::vector<Hash> leaves;
  explicit Log(const std::string& what) {
    for (int seq = 1; seq <= 21; ++seq) {
      events.push_back(R"({"data":{"what":")" + what + R"("},"id":"ev-)" + std::to_string(seq) + R"(","seq":)" +
                       std::to_string(seq) + R"(,"type":"x"})");
      leaves.push_back(leaf_hash(events.back()));
    }
  }
  std::string policy() const {
    return "log " + key.verifier_key() + "\nwitness board " + board.verifier_key() + "\nwitness donor " +
           donor.verifier_key() + "\ngroup both all board donor\nquorum both\n";
  }
  // The receipt of event `seq`, its checkpoint cosigned by `cosigners`.
  EventReceipt receipt(std::uint64_t seq, const std::vector<const Cosigner*>& cosigners) const {
    const LeavesSource source(leaves);
    const std::string text = checkpoint_text(Checkpoint{key.name(), leaves.size(), *tree_root(source, leaves.size()), {}});
    std::string note = key.sign(text);
    for (const Cosigner* c : cosigners) note += c->cosign(text, 1796700000);
    return EventReceipt{events[seq - 1], seq - 1, *inclusion_proof(source, seq - 1, leaves.size()), note};
  }
};

std::string outcome(const Result<ReceiptCheck>& r) { return r ? "ok" : r.status().to_string(); }

TEST_CASE("a receipt verifies offline with only the policy, read back from its text", "[receipt]") {
  const Log log("grant");
  const Policy policy = *parse_policy(log.policy());
  const std::string text = receipt_text(log.receipt(13, {&log.board, &log.donor}));
  CHECK(text.starts_with("c2sp.org/tlog-proof@v1\nextra eyJ"));
  CHECK(text.find("\nindex 12\n") != std::string::npos);
  const Result<EventReceipt> read = parse_receipt(text);
  REQUIRE(read.is_ok());
  CHECK(receipt_text(*read) == text);
  const Result<ReceiptCheck> check = check_receipt(*read, std::nullopt, nullptr, &policy);
  REQUIRE(outcome(check) == "ok");
  CHECK(check->event == log.events[12]);
  CHECK(check->checkpoint.size == 21);
  CHECK(check->quorum->met);
  // The event given beside it, as the API gives it with its hashes.
  const std::string given = log.events[12].substr(0, log.events[12].size() - 1) + R"(,"leaf_hash":"00","chain_hash":"11"})";
  CHECK(outcome(check_receipt(*read, *event_canonical_bytes(given), nullptr, &policy)) == "ok");
  CHECK(outcome(check_receipt(*read, log.events[11], nullptr, &policy)) ==
        "receipt: the event given is not the one the receipt carries");
  // With the log's key alone, no witness is asked for.
  const NoteVerifier key = *NoteVerifier::parse(log.key.verifier_key());
  CHECK(outcome(check_receipt(*parse_receipt(receipt_text(log.receipt(13, {}))), std::nullopt, &key, nullptr)) == "ok");
}

TEST_CASE("a receipt of a forged log under the same key fails the policy", "[receipt]") {
  const Log log("grant");
  const Log forged("forged");  // the same key, another history
  const Policy policy = *parse_policy(log.policy());
  // The witnesses would not cosign it: the log's signature alone.
  const Result<ReceiptCheck> check = check_receipt(forged.receipt(13, {}), std::nullopt, nullptr, &policy);
  CHECK(check.status().code() == Code::kQuorum);
  // One witness fooled is not the quorum either.
  CHECK(check_receipt(forged.receipt(13, {&forged.board}), std::nullopt, nullptr, &policy).status().code() ==
        Code::kQuorum);
}

TEST_CASE("any byte of a receipt's path or event changed is refused", "[receipt]") {
  const Log log("grant");
  const Policy policy = *parse_policy(log.policy());
  const EventReceipt good = log.receipt(13, {&log.board, &log.donor});
  REQUIRE(check_receipt(good, std::nullopt, nullptr, &policy).is_ok());
  for (std::size_t h = 0; h < good.path.size(); ++h) {
    for (std::size_t b = 0; b < 32; ++b) {
      EventReceipt bad = good;
      bad.path[h][b] ^= 0x01;
      INFO("hash " << h << " byte " << b);
      CHECK(check_receipt(bad, std::nullopt, nullptr, &policy).status().code() == Code::kProofRootMismatch);
    }
  }
  for (std::size_t b = 0; b < good.extra->size(); ++b) {
    EventReceipt bad = good;
    (*bad.extra)[b] = static_cast<char>((*bad.extra)[b] ^ 0x01);
    CHECK_FALSE(check_receipt(bad, std::nullopt, nullptr, &policy).is_ok());
  }
  EventReceipt other = good;
  other.index = 11;
  CHECK(check_receipt(other, std::nullopt, nullptr, &policy).status().code() == Code::kProofRootMismatch);
  CHECK(parse_receipt("c2sp.org/tlog-proof@v1\nindex 012\n\n").status().to_string() ==
        "receipt: the index is not a decimal number without leading zeros");
  CHECK(parse_receipt("c2sp.org/tlog-proof@v2\n").status().code() == Code::kReceipt);
}

}  // namespace
}  // namespace fundledger
