// A fixed three-event log whose canonical bytes, leaf hashes and chain
// hashes were computed independently of this code, with Python 3.11:
//
//   b = json.dumps(event, sort_keys=True, separators=(',', ':'),
//                  ensure_ascii=False).encode('utf-8')
//   leaf = hashlib.sha256(b'\x00' + b).digest()
//   chain = hashlib.sha256(previous_chain + leaf).digest()   # from 32 zero bytes
//
// For objects of strings and integers, Python's serialisation with those
// settings is the RFC 8785 one (sorted ASCII keys, no whitespace, '"' and
// '\' escaped, non-ASCII written raw). The second event holds a quote, a
// backslash and non-ASCII characters; the third an amount the ledger
// normalises ("2500000" becomes "2500000.00").

#include <catch2/catch.hpp>

#include "audit/merkle.h"
#include "domain/event.h"
#include "tests/support.h"
#include "util/hash.h"

namespace fundledger {
namespace {

struct Known {
  const char* sent;
  const char* bytes;
  const char* leaf;
  const char* chain;
};

const Known kLog[] = {
    {R"({"id":"donor-JPN","type":"donor.registered","data":{"donor":"JPN","name":"Japan","kind":"government","country":"JPN"}})",
     R"({"actor":"manager:alice","data":{"country":"JPN","donor":"JPN","kind":"government","name":"Japan"},"id":"donor-JPN","recorded_at":"2026-11-23T10:15:30.123Z","seq":1,"type":"donor.registered"})",
     "74a2c8d356619a0da780fbce552c3acd6a7c46a489db70394b4069ab2a0b32fd",
     "1913fef095bfd06f8ec2f0c71cc388c6c90a8b037cd5531bf48fb6a774972e99"},
    {"{\"id\":\"donor-CIV\",\"type\":\"donor.registered\",\"data\":{\"donor\":\"CIV\",\"name\":\"C\\u00f4te d\xE2\x80\x99Ivoire \\\"Abidjan\\\" \\\\ office\",\"kind\":\"government\",\"country\":\"CIV\"}}",
     "{\"actor\":\"manager:alice\",\"data\":{\"country\":\"CIV\",\"donor\":\"CIV\",\"kind\":\"government\",\"name\":\"C\xC3\xB4te d\xE2\x80\x99Ivoire \\\"Abidjan\\\" \\\\ office\"},\"id\":\"donor-CIV\",\"recorded_at\":\"2026-11-23T10:15:30.123Z\",\"seq\":2,\"type\":\"donor.registered\"}",
     "117425197f60ce5203b2bc74a1f714b8bbf27bbe90db04223be70ec9310ba907",
     "4e508e3babf8f006aeaf9e717d69db1438fe3afbf99e809b77c1456255f8b05c"},
    {R"({"id":"pledge-2014-JPN","type":"pledge.recorded","data":{"pledge":"p-2014-JPN","donor":"JPN","amount":"2500000","currency":"USD","pledged_on":"2014-06-27"}})",
     R"({"actor":"manager:alice","data":{"amount":"2500000.00","currency":"USD","donor":"JPN","pledge":"p-2014-JPN","pledged_on":"2014-06-27"},"id":"pledge-2014-JPN","recorded_at":"2026-11-23T10:15:31.000Z","seq":3,"type":"pledge.recorded"})",
     "d218e1bac3beb82d6cc6cbedd2d8fe050ecc937bc470c2deb1b07d8332563448",
     "3a9d2a11debce8f5100d266958202a4f51824ca2891d6dfc53ad65e610bb35bd"},
};
const char* kRecordedAt[] = {"2026-11-23T10:15:30.123Z", "2026-11-23T10:15:30.123Z",
                             "2026-11-23T10:15:31.000Z"};
// SHA-256(0x01 || SHA-256(0x01 || leaf1 || leaf2) || leaf3), by the same script.
const char* kRoot3 = "fb09715a1b9fc1658166ba2d2cc729a62b34d93cf82bf03d6da86aba380b429a";

TEST_CASE("a known log gives the known bytes, leaf hashes, chain hashes and root", "[known]") {
  Hash chain = kZeroHash;
  RootBuilder tree;
  for (std::size_t i = 0; i < 3; ++i) {
    Result<Draft> d = decode_draft(kLog[i].sent);
    REQUIRE(d.is_ok());
    const std::string bytes = event_bytes(*d, i + 1, kRecordedAt[i], "manager:alice");
    CHECK(bytes == kLog[i].bytes);
    const Hash leaf = leaf_hash(bytes);
    chain = chain_hash(chain, leaf);
    CHECK(to_hex(leaf) == kLog[i].leaf);
    CHECK(to_hex(chain) == kLog[i].chain);
    tree.add_leaf(leaf);
  }
  CHECK(to_hex(tree.root()) == kRoot3);
}

TEST_CASE("the store appends the known log with the known hashes", "[known]") {
  test::Ledger ledger;
  // The fixed clock reads 10:15:30.123 for the first request; the third
  // event is sent alone at 10:15:31.000.
  const std::string first = std::string(kLog[0].sent) + "\n" + kLog[1].sent + "\n";
  const std::vector<Receipt> a = ledger.append(first);
  ledger.writer.reset();
  WriterOptions later;
  later.clock = [] { return Millis{1795428931000}; };
  ledger.writer = std::make_unique<Writer>(*ledger.store, later);
  const std::vector<Receipt> b = ledger.append(kLog[2].sent);
  REQUIRE(a.size() == 2);
  REQUIRE(b.size() == 1);
  const Receipt* receipts[] = {&a[0], &a[1], &b[0]};
  const auto reader = ledger.store->reader();
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(receipts[i]->seq == i + 1);
    CHECK(to_hex(receipts[i]->leaf) == kLog[i].leaf);
    CHECK(to_hex(receipts[i]->chain) == kLog[i].chain);
    CHECK(**reader->event(i + 1) == kLog[i].bytes);
  }
  CHECK(ledger.store->head().size == 3);
  CHECK(to_hex(ledger.store->head().chain) == kLog[2].chain);
}

TEST_CASE("hex round trip", "[known]") {
  const Hash h = sha256("abc");
  CHECK(to_hex(h) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(*hash_from_hex(to_hex(h)) == h);
  CHECK_FALSE(hash_from_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD").has_value());
  CHECK_FALSE(hash_from_hex("ba78").has_value());
  CHECK(to_hex(empty_root()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace fundledger
