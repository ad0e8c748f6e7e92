// verify against a tamperer: each change to the stored log is caught at the
// first seq it touches, except the one a log alone cannot show (the last
// events removed with the head rewritten to match), which verify reports as
// a shorter log.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "domain/data_view.h"
#include "domain/state.h"
#include "ledger/verify.h"
#include "tests/event_lines.h"
#include "tests/support.h"
#include "util/canonical.h"

namespace fundledger {
namespace {

constexpr std::uint64_t kEvents = 200;

// A closed ledger of kEvents generated events, ready to be corrupted. They
// were appended in one request, so their hashes are one page, at seq 1.
struct Corruptible {
  test::Ledger ledger;
  Head head;

  explicit Corruptible(const std::string& events = test::generated(kEvents, 5)) {
    ledger.append(events);
    head = ledger.store->head();
    ledger.close();
  }

  VerifyReport verify() {
    Result<std::unique_ptr<Store>> store =
        Store::open(ledger.dir.path(), OpenOptions{.read_only = true, .check_head = false});
    REQUIRE(store.status().to_string() == "ok");
    Result<VerifyReport> report = verify_log(**store);
    REQUIRE(report.status().to_string() == "ok");
    return *report;
  }

  // What the replay of verify's projection check finds, with every hash
  // right.
  Failure replay_failure() {
    REQUIRE(verify().ok());  // the log is consistent with itself
    Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path(), OpenOptions{.read_only = true});
    REQUIRE(store.status().to_string() == "ok");
    const Result<ProjectionReport> r = verify_projection(**store);
    REQUIRE(r.status().to_string() == "ok");
    REQUIRE_FALSE(r->ok());
    return *r->failure;
  }
};

std::string hex_of(const std::string& bytes) { return to_hex(*hash_from_bytes(bytes)); }

// Where the hashes of `seq` sit in the one page of a Corruptible ledger.
std::size_t page_offset(std::uint64_t seq) { return (seq - 1) * kHashBytes; }

// The forger's way: event `seq` changed by `change` and every hash from it
// on made again.
template <typename Change>
void rewrite(Corruptible& c, std::uint64_t seq, Change change) {
  test::forge_event(c.ledger.dir.path(), seq, change);
}

TEST_CASE("an untouched log verifies", "[verify]") {
  Corruptible c;
  const VerifyReport r = c.verify();
  CHECK(r.ok());
  CHECK(r.size == kEvents);
  CHECK(r.chain == c.head.chain);
}

TEST_CASE("an empty log verifies", "[verify]") {
  test::Ledger ledger;
  Result<VerifyReport> r = verify_log(*ledger.store);
  REQUIRE(r.is_ok());
  CHECK(r->ok());
  CHECK(r->size == 0);
  CHECK(r->chain == kZeroHash);
}

TEST_CASE("a changed byte is caught at its event", "[verify]") {
  Corruptible c;
  std::string stored_leaf;
  std::string changed;
  {
    test::RawDb db(c.ledger.dir.path());
    std::string bytes = db.get(Family::kEvents, seq_key(57));
    const std::size_t at = bytes.find("\"ev-00000057\"");
    REQUIRE(at != std::string::npos);
    bytes[at + 11] = '8';  // ev-00000057 -> ev-00000058: still canonical JSON
    changed = bytes;
    db.put(Family::kEvents, seq_key(57), bytes);
    stored_leaf = db.get(Family::kChain, seq_key(1)).substr(page_offset(57), 32);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 57);
  CHECK(r.failure->check == Code::kLeafHashMismatch);
  CHECK(r.failure->expected == hex_of(stored_leaf));
  CHECK(r.failure->found == to_hex(leaf_hash(changed)));
}

TEST_CASE("bytes that are not an event are caught at their seq", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    std::string bytes = db.get(Family::kEvents, seq_key(10));
    bytes.insert(1, " ");
    db.put(Family::kEvents, seq_key(10), bytes);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 10);
  CHECK(r.failure->check == Code::kInvalidEnvelope);
}

TEST_CASE("a deleted event is caught at its seq", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    db.remove(Family::kEvents, seq_key(80));
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 80);
  CHECK(r.failure->check == Code::kMissingEvent);
}

TEST_CASE("two swapped events are caught at the first", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    const std::string a = db.get(Family::kEvents, seq_key(100));
    const std::string b = db.get(Family::kEvents, seq_key(101));
    db.put(Family::kEvents, seq_key(100), b);
    db.put(Family::kEvents, seq_key(101), a);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 100);
  CHECK(r.failure->check == Code::kSeqMismatch);
  CHECK(r.failure->expected == "100");
  CHECK(r.failure->found == "101");
}

TEST_CASE("an event inserted in the middle is caught where it went in", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    // Shift events 150.. up by one and put a new event at 150.
    for (std::uint64_t seq = kEvents; seq >= 150; --seq) {
      db.put(Family::kEvents, seq_key(seq + 1), db.get(Family::kEvents, seq_key(seq)));
    }
    // The new event is well formed and says it is seq 150.
    std::string inserted = db.get(Family::kEvents, seq_key(150));
    const std::size_t at = inserted.find("\"ev-00000150\"");
    REQUIRE(at != std::string::npos);
    inserted.replace(at, 13, "\"ev-inserted\"");
    db.put(Family::kEvents, seq_key(150), inserted);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 150);
  CHECK(r.failure->check == Code::kLeafHashMismatch);
}

TEST_CASE("an event added beyond the head is caught", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    db.put(Family::kEvents, seq_key(kEvents + 1), db.get(Family::kEvents, seq_key(kEvents)));
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == kEvents + 1);
  CHECK(r.failure->check == Code::kEventBeyondHead);
  // An ordinary open refuses such a ledger outright.
  Result<std::unique_ptr<Store>> store = Store::open(c.ledger.dir.path());
  CHECK(store.status().code() == Code::kStoreCorrupt);
}

TEST_CASE("a rewritten stored hash is caught at its event", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    std::string page = db.get(Family::kChain, seq_key(1));
    page[page_offset(33) + 40] ^= 1;  // a bit of event 33's chain hash
    db.put(Family::kChain, seq_key(1), page);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 33);
  CHECK(r.failure->check == Code::kChainHashMismatch);
}

TEST_CASE("hashes stored beyond the head are caught", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    db.put(Family::kChain, seq_key(kEvents + 1), std::string(kHashBytes, '\1'));
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == kEvents + 1);
  CHECK(r.failure->check == Code::kHashesBeyondHead);
}

TEST_CASE("a damaged page of hashes is caught at its first event", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    std::string page = db.get(Family::kChain, seq_key(1));
    page.pop_back();  // no longer a whole number of entries
    db.put(Family::kChain, seq_key(1), page);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 1);
  CHECK(r.failure->check == Code::kMissingHashes);
  CHECK(r.failure->message == "a page of hashes is damaged at seq 1");
}

TEST_CASE("an id index that names the wrong event is caught", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    db.put(Family::kIds, "ev-00000020", seq_key(21));
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 20);
  CHECK(r.failure->check == Code::kIdNotIndexed);
}

TEST_CASE("an id index entry that names no event is caught", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    db.put(Family::kIds, "ev-phantom", seq_key(kEvents + 5));
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == kEvents + 5);
  CHECK(r.failure->check == Code::kIdIndexMismatch);
  CHECK(r.failure->found == "ev-phantom");
}

TEST_CASE("a missing id index entry is caught", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    db.remove(Family::kIds, "ev-00000120");
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == 120);
  CHECK(r.failure->check == Code::kIdNotIndexed);
}

TEST_CASE("a head that does not hold the last chain hash is caught", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    std::string head = db.get(Family::kMeta, "head");
    head[10] ^= 1;
    db.put(Family::kMeta, "head", head);
  }
  const VerifyReport r = c.verify();
  REQUIRE(r.failure.has_value());
  CHECK(r.failure->seq == kEvents);
  CHECK(r.failure->check == Code::kHeadMismatch);
}

TEST_CASE("the last events removed with the head rewritten: verify sees a shorter log", "[verify]") {
  Corruptible c;
  {
    test::RawDb db(c.ledger.dir.path());
    const std::string page = db.get(Family::kChain, seq_key(1)).substr(0, page_offset(191));
    for (std::uint64_t seq = 191; seq <= kEvents; ++seq) {
      db.remove(Family::kEvents, seq_key(seq));
      db.remove(Family::kIds, "ev-" + std::string(8 - std::to_string(seq).size(), '0') +
                                  std::to_string(seq));
    }
    db.put(Family::kChain, seq_key(1), page);
    db.put(Family::kMeta, "head", seq_key(190) + page.substr(page_offset(190) + 32, 32));
  }
  // Consistent with itself: verify passes and reports 190 events where 200
  // were appended. Only a checkpoint the auditor kept can show the loss.
  const VerifyReport r = c.verify();
  CHECK(r.ok());
  CHECK(r.size == 190);
}

TEST_CASE("a record whose key is not a seq is caught", "[verify]") {
  Corruptible c;
  // Nine bytes: after event 50's key, before event 51's.
  test::RawDb(c.ledger.dir.path()).put(Family::kEvents, seq_key(50) + "x", "not an event");
  const VerifyReport r = c.verify();
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure->check == Code::kMalformedKey);
  CHECK(r.failure->seq == 51);
  CHECK(r.failure->message == "a record with a key that is not a seq");
}

TEST_CASE("an event recorded before the one it follows is caught, every hash made again", "[verify]") {
  Corruptible c;
  rewrite(c, 50, [](nlohmann::json& e) { e["recorded_at"] = "2001-01-01T00:00:00.000Z"; });
  const VerifyReport r = c.verify();
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure->check == Code::kRecordedAtDecreasing);
  CHECK(r.failure->seq == 50);
  CHECK(r.failure->found == "2001-01-01T00:00:00.000Z");
}

TEST_CASE("an event the rules refuse is caught by the replay, every hash made again", "[verify]") {
  Corruptible c;
  // Event 2 registers programme prog-02; made to register prog-01 again.
  rewrite(c, 2, [](nlohmann::json& e) { e["data"]["programme"] = "prog-01"; });
  const Failure f = c.replay_failure();
  CHECK(f.check == Code::kRuleViolation);
  CHECK(f.seq == 2);
  CHECK(f.message ==
        "event 2 breaks a rule: duplicate: there is already a programme \"prog-01\" (data.programme)");
}

TEST_CASE("a reversal that takes back other figures than its original's is caught by the replay", "[verify]") {
  using namespace test::event_lines;
  Corruptible c(lines({donor("USA"), contribution("c-1", "USA", "", "100.00", "USD", "100.00"),
                       contribution("c-2", "USA", "", "60.00", "USD", "60.00"), reversal("rev-2", 2)}));
  // The reversal of c-1 made to take back 60.00: the rules alone would
  // pass it (the donor gave 160.00), the original's facts do not.
  rewrite(c, 4, [](nlohmann::json& e) {
    e["data"]["amount"] = "60.00";
    e["data"]["usd"] = "60.00";
  });
  const Failure f = c.replay_failure();
  CHECK(f.check == Code::kRuleViolation);
  CHECK(f.seq == 4);
  CHECK(f.message ==
        "event 4 breaks a rule: reversal_mismatch: the reversal's amount is 60.00, event 2's 100.00 (data.amount)");
}

TEST_CASE("an index of payment ids that names another event is caught", "[verify]") {
  Corruptible c;
  // Event 38 is contribution contrib-0000001; the index is made to name 39.
  const std::vector<Draft> generated = test::drafts(test::generated(kEvents, 5));
  const Draft& contribution = generated[37];
  REQUIRE(contribution.type == EventType::kContributionReceived);
  const std::optional<std::string> key = business_key(contribution.type, DataView::of(contribution.data));
  REQUIRE(key.has_value());
  {
    test::RawDb db(c.ledger.dir.path());
    REQUIRE(db.get(Family::kIds, *key) == seq_key(38));
    db.put(Family::kIds, *key, seq_key(39));
  }
  Result<std::unique_ptr<Store>> store = Store::open(c.ledger.dir.path(), OpenOptions{.read_only = true});
  REQUIRE(store.status().to_string() == "ok");
  const Result<ProjectionReport> r = verify_projection(**store);
  REQUIRE(r.status().to_string() == "ok");
  REQUIRE_FALSE(r->ok());
  CHECK(r->failure->check == Code::kBusinessIndexMismatch);
  CHECK(r->failure->seq == 38);
}

}  // namespace
}  // namespace fundledger
