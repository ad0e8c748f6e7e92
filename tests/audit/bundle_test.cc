// Audit bundles checked with the verifier key alone: a good bundle
// verifies; each thing an operator could get wrong or forge is named with
// the check, the seq and the hashes; and a log that no longer extends an
// earlier checkpoint or bundle is caught, with the first event that
// changed when the earlier events are at hand.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "audit/audited_view.h"
#include "audit/bundle.h"
#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "tests/audit/audit_support.h"
#include "tests/temp_dir.h"
#include "util/canonical.h"
#include "util/hash.h"

namespace fundledger {
namespace {

const std::string kOrigin = "example.org/fund";

NoteSigner signer_of(std::uint8_t fill, const std::string& origin = kOrigin) {
  Ed25519Seed seed;
  seed.fill(fill);
  return *NoteSigner::from_seed(origin, seed);
}

// Canonical lines holding seqs 1..n; `mark` tells one history from another.
std::vector<std::string> lines(std::uint64_t n, const std::string& mark = "a") {
  std::vector<std::string> out;
  for (std::uint64_t seq = 1; seq <= n; ++seq) {
    out.push_back(R"({"id":"e-)" + std::to_string(seq) + R"(","mark":")" + mark + R"(","seq":)" +
                  std::to_string(seq) + "}");
  }
  return out;
}

std::vector<Hash> leaves_of(const std::vector<std::string>& events) {
  std::vector<Hash> out;
  for (const std::string& e : events) out.push_back(leaf_hash(e));
  return out;
}

Hash root_of(const std::vector<std::string>& events) {
  const std::vector<Hash> leaves = leaves_of(events);
  return test::reference_root(leaves, 0, leaves.size());
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.flush().good());
}

std::string checkpoint_note(const NoteSigner& signer, std::uint64_t size, const Hash& root) {
  return signer.sign(checkpoint_text(Checkpoint{signer.name(), size, root, {}}));
}

// A bundle directory as export writes it: the events, their checkpoint
// signed by `signer`, its verifier key.
struct Bundle {
  test::TempDir dir;
  Bundle(const std::vector<std::string>& events, const NoteSigner& signer) {
    std::string text;
    for (const std::string& e : events) text += e + "\n";
    write_file(dir.path() / kBundleEvents, text);
    write_file(dir.path() / kBundleCheckpoint, checkpoint_note(signer, events.size(), root_of(events)));
    write_file(dir.path() / kBundleVerifierKey, signer.verifier_key() + "\n");
  }
  std::filesystem::path path() const { return dir.path(); }
  void events(const std::string& text) const { write_file(dir.path() / kBundleEvents, text); }
};

std::string joined(const std::vector<std::string>& events) {
  std::string text;
  for (const std::string& e : events) text += e + "\n";
  return text;
}

TEST_CASE("a bundle verifies with its key, and the report gives its root and chain", "[bundle]") {
  const NoteSigner signer = signer_of(1);
  const std::vector<std::string> events = lines(300);
  const Bundle b(events, signer);
  // The hook runs on a thread of its own: it records, the test checks after.
  std::vector<std::uint64_t> seen;
  std::size_t misplaced = 0;
  BundleOptions options;
  options.keep_leaves = true;
  options.on_event = [&](std::uint64_t first, const std::vector<std::string_view>& events) {
    for (std::uint64_t seq = first; seq < first + events.size(); ++seq) {
      if (events[seq - first].find(R"("seq":)" + std::to_string(seq) + "}") == std::string_view::npos) ++misplaced;
      seen.push_back(seq);
    }
    return std::optional<Failure>();
  };
  const BundleReport r = check_bundle(b.path(), options);
  REQUIRE(r.ok());
  CHECK(r.events == 300);
  CHECK(r.root == root_of(events));
  Hash chain = kZeroHash;
  for (const std::string& e : events) chain = chain_hash(chain, leaf_hash(e));
  CHECK(r.chain == chain);
  CHECK(r.leaves == leaves_of(events));
  CHECK(r.verifier_key == signer.verifier_key());
  CHECK(r.checkpoint.size == 300);
  CHECK(misplaced == 0);
  CHECK(seen.size() == 300);
  CHECK(seen.back() == 300);

  const Bundle empty({}, signer);
  const BundleReport e = check_bundle(empty.path(), {});
  REQUIRE(e.ok());
  CHECK(e.events == 0);
  CHECK(e.root == empty_root());
}

// The failure a bundle gives.
Failure failure_of(const std::filesystem::path& dir, const BundleOptions& options = {}) {
  const BundleReport r = check_bundle(dir, options);
  REQUIRE(r.failure.has_value());
  return *r.failure;
}

// A hook that refuses event `bad`.
BundleEventHook refuse(std::uint64_t bad) {
  return [bad](std::uint64_t first, const std::vector<std::string_view>& events) -> std::optional<Failure> {
    if (first <= bad && bad < first + events.size()) return Failure{bad, Code::kEvent, "breaks a rule", "", ""};
    return std::nullopt;
  };
}

TEST_CASE("each flaw of a bundle is named with its check, seq and hashes", "[bundle]") {
  const NoteSigner signer = signer_of(1);
  const std::vector<std::string> events = lines(20);
  const Bundle b(events, signer);

  SECTION("a file missing") {
    std::filesystem::remove(b.path() / kBundleCheckpoint);
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kBundleFile);
    CHECK(f.message == "cannot read " + (b.path() / kBundleCheckpoint).string());
  }
  SECTION("a verifier key other than the one trusted") {
    BundleOptions options;
    options.trusted_key = signer_of(2).verifier_key();
    const Failure f = failure_of(b.path(), options);
    CHECK(f.check == Code::kVerifierKey);
    CHECK(f.expected == signer_of(2).verifier_key());
    CHECK(f.found == signer.verifier_key());
  }
  SECTION("a checkpoint signed by another key") {
    write_file(b.path() / kBundleCheckpoint, checkpoint_note(signer_of(2), 20, root_of(events)));
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kCheckpointSignature);
    CHECK(f.message == "the note carries no signature by example.org/fund");
  }
  SECTION("a checkpoint whose text was changed after signing") {
    std::string note = checkpoint_note(signer, 20, root_of(events));
    note.replace(note.find("\n20\n"), 4, "\n21\n");
    write_file(b.path() / kBundleCheckpoint, note);
    CHECK(failure_of(b.path()).check == Code::kCheckpointSignature);
  }
  SECTION("a line that is not canonical") {
    std::vector<std::string> bad = events;
    bad[6] = R"({"seq":7, "id":"e-7","mark":"a"})";
    b.events(joined(bad));
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kNotCanonical);
    CHECK(f.seq == 7);
  }
  SECTION("a seq skipped") {
    std::vector<std::string> bad = events;
    bad.erase(bad.begin() + 9);
    b.events(joined(bad));
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kSeq);
    CHECK(f.seq == 10);
    CHECK(f.expected == "10");
    CHECK(f.found == "11");
  }
  SECTION("an empty line, and a last line without its newline") {
    std::vector<std::string> bad = events;
    bad[4] = "";
    b.events(joined(bad));
    Failure f = failure_of(b.path());
    CHECK(f.check == Code::kLine);
    CHECK(f.seq == 5);
    std::string text = joined(events);
    text.pop_back();
    b.events(text);
    f = failure_of(b.path());
    CHECK(f.check == Code::kLine);
    CHECK(f.seq == 20);
  }
  SECTION("fewer events than signed") {
    b.events(joined(lines(18)));
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kTreeSize);
    CHECK(f.seq == 19);
    CHECK(f.expected == "20");
    CHECK(f.found == "18");
  }
  SECTION("more events than signed") {
    b.events(joined(lines(21)));
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kTreeSize);
    CHECK(f.seq == 21);
  }
  SECTION("an event changed, its checkpoint not") {
    std::vector<std::string> bad = events;
    bad[11] = R"({"id":"e-12","mark":"b","seq":12})";
    b.events(joined(bad));
    const Failure f = failure_of(b.path());
    CHECK(f.check == Code::kRootHash);
    CHECK(f.expected == to_hex(root_of(events)));
    CHECK(f.found == to_hex(root_of(bad)));
  }
  SECTION("the caller's refusal of an event comes before a later flaw in the lines") {
    std::vector<std::string> bad = events;
    bad[17] = R"({"seq":18, "id":"e-18"})";
    b.events(joined(bad));
    BundleOptions options;
    options.on_event = refuse(13);
    const Failure f = failure_of(b.path(), options);
    CHECK(f.check == Code::kEvent);
    CHECK(f.seq == 13);
    options.on_event = refuse(19);
    const Failure g = failure_of(b.path(), options);
    CHECK(g.check == Code::kNotCanonical);
    CHECK(g.seq == 18);
  }
  SECTION("the caller's own check of an event") {
    BundleOptions options;
    options.on_event = refuse(13);
    const Failure f = failure_of(b.path(), options);
    CHECK(f.check == Code::kEvent);
    CHECK(f.seq == 13);
  }
}

// The history an attacker writes: events 1..k-1 as they were, then others
// (mark "x"), with every hash and the checkpoint made again with the key.
std::vector<std::string> rewritten_from(std::uint64_t k, std::uint64_t n) {
  std::vector<std::string> out = lines(k - 1);
  const std::vector<std::string> after = lines(n, "x");
  out.insert(out.end(), after.begin() + static_cast<std::ptrdiff_t>(k - 1), after.end());
  return out;
}

TEST_CASE("a bundle that does not extend an earlier checkpoint or bundle is caught", "[bundle]") {
  const NoteSigner signer = signer_of(1);
  const NoteVerifier verifier = *NoteVerifier::parse(signer.verifier_key());
  const std::vector<std::string> yesterday = lines(300);
  const Bundle earlier_bundle(yesterday, signer);
  test::TempDir notes;
  const std::filesystem::path note = notes.path() / "checkpoint-300";
  write_file(note, checkpoint_note(signer, 300, root_of(yesterday)));

  const Result<EarlierCheckpoint> read_note = read_earlier_checkpoint(note, verifier);
  const Result<EarlierCheckpoint> read_bundle = read_earlier_checkpoint(earlier_bundle.path(), verifier);
  REQUIRE(read_note.status().to_string() == "ok");
  REQUIRE(read_bundle.status().to_string() == "ok");
  const EarlierCheckpoint& from_note = *read_note;
  const EarlierCheckpoint& from_bundle = *read_bundle;
  CHECK(from_note.leaves.empty());
  CHECK(from_bundle.leaves == leaves_of(yesterday));
  CHECK(from_bundle.checkpoint == from_note.checkpoint);

  auto audit = [](const std::vector<std::string>& events, const NoteSigner& signer, const EarlierCheckpoint& e) {
    const Bundle today(events, signer);
    BundleOptions options;
    options.earlier = &e;
    return check_bundle(today.path(), options);
  };

  SECTION("a log that grew extends both") {
    CHECK(audit(lines(400), signer, from_note).ok());
    CHECK(audit(lines(400), signer, from_bundle).ok());
    CHECK(audit(lines(300), signer, from_note).ok());
  }
  SECTION("truncated, with a rewritten head and a new checkpoint: the size that shrank") {
    for (const EarlierCheckpoint* e : {&from_note, &from_bundle}) {
      const BundleReport r = audit(lines(250), signer, *e);
      REQUIRE(r.failure.has_value());
      CHECK(r.failure->check == Code::kCheckpointSize);
      CHECK(r.failure->seq == 251);
      CHECK(r.failure->expected == "300");
      CHECK(r.failure->found == "250");
    }
  }
  SECTION("history rewritten from seq 137, every later hash made again") {
    const std::vector<std::string> forged = rewritten_from(137, 400);
    BundleReport r = audit(forged, signer, from_note);
    REQUIRE(r.failure.has_value());
    CHECK(r.failure->check == Code::kCheckpointRoot);
    CHECK(r.failure->seq == 0);  // a root alone cannot say where
    CHECK(r.failure->expected == to_hex(root_of(yesterday)));
    CHECK(r.failure->found == to_hex(root_of({forged.begin(), forged.begin() + 300})));

    r = audit(forged, signer, from_bundle);
    REQUIRE(r.failure.has_value());
    CHECK(r.failure->check == Code::kHistory);
    CHECK(r.failure->seq == 137);
    CHECK(r.failure->expected == to_hex(leaf_hash(yesterday[136])));
    CHECK(r.failure->found == to_hex(leaf_hash(forged[136])));
  }
  SECTION("truncated and rewritten: the first changed event, given the earlier bundle") {
    const BundleReport r = audit(rewritten_from(90, 200), signer, from_bundle);
    REQUIRE(r.failure.has_value());
    CHECK(r.failure->check == Code::kHistory);
    CHECK(r.failure->seq == 90);
  }
  SECTION("an earlier checkpoint by another key is not evidence") {
    const NoteSigner other = signer_of(2);
    write_file(note, checkpoint_note(other, 300, root_of(yesterday)));
    CHECK(read_earlier_checkpoint(note, verifier).status().to_string() ==
          "earlier_checkpoint: the earlier checkpoint " + note.string() +
              " does not verify: the note carries no signature by example.org/fund");
    const Bundle others(yesterday, other);
    CHECK(read_earlier_checkpoint(others.path(), verifier).status().to_string() ==
          "earlier_checkpoint: the earlier checkpoint " + others.path().string() + " is a bundle signed by another key: " +
              other.verifier_key() + ", not example.org/fund");
  }
}

TEST_CASE("an audited view verifies with the log's key, and any change to it is refused", "[bundle]") {
  const NoteSigner signer = signer_of(1);
  const NoteVerifier verifier = *NoteVerifier::parse(signer.verifier_key());
  const LogHead head{42, sha256("root"), sha256("chain")};
  const nlohmann::json view = {{"received", "2565000.00"}, {"counts", {{"donors", 6}}}};
  const nlohmann::json audited = audited_view(head, view, signer);
  CHECK(audited["as_of"] == nlohmann::json{{"chain_hash", to_hex(head.chain)},
                                           {"root_hash", to_hex(head.root)},
                                           {"tree_size", 42}});
  CHECK(audited["view"] == view);
  CHECK(check_audited_view(audited, verifier).to_string() == "ok");

  // The signature is Ed25519 over the RFC 8785 bytes of {"as_of","view"}.
  const std::string covered =
      R"({"as_of":{"chain_hash":")" + to_hex(head.chain) + R"(","root_hash":")" + to_hex(head.root) +
      R"(","tree_size":42},"view":{"counts":{"donors":6},"received":"2565000.00"}})";
  CHECK(canonical_json(unsigned_view(head, view)) == covered);
  const Ed25519Signature expected = signer.signature(covered);
  CHECK(audited["signature"] == base64_encode(std::string(expected.begin(), expected.end())));

  nlohmann::json changed = audited;
  changed["view"]["received"] = "2565000.01";
  CHECK(check_audited_view(changed, verifier).to_string() ==
        "view_signature_invalid: the signature does not verify with example.org/fund's key");
  changed = audited;
  changed["as_of"]["tree_size"] = 41;
  CHECK(check_audited_view(changed, verifier).to_string() ==
        "view_signature_invalid: the signature does not verify with example.org/fund's key");
  changed = audited;
  changed["extra"] = true;
  CHECK(check_audited_view(changed, verifier).to_string() ==
        "view_malformed: an audited view holds exactly as_of, signature and view");
  changed = audited;
  changed["as_of"]["root_hash"] = to_hex(head.root).substr(0, 63) + "G";
  CHECK(check_audited_view(changed, verifier).to_string() ==
        "view_malformed: as_of holds exactly chain_hash and root_hash (lower-case hex), tree_size and, for a "
        "view as of a day, date");
  // A view as of a day names the day, which the signature covers.
  nlohmann::json dated = audited;
  dated.erase("signature");
  dated["as_of"]["date"] = "2015-12-31";
  dated = sign_view(dated, signer);
  CHECK(check_audited_view(dated, verifier).to_string() == "ok");
  changed = dated;
  changed["as_of"]["date"] = "2016-12-31";
  CHECK(check_audited_view(changed, verifier).to_string() ==
        "view_signature_invalid: the signature does not verify with example.org/fund's key");
  changed["as_of"]["date"] = "2016-1-31";
  CHECK(check_audited_view(changed, verifier).to_string() == "view_malformed: as_of's date is not YYYY-MM-DD");
  changed["as_of"].erase("date");
  changed["as_of"]["day"] = "2016-12-31";
  CHECK(check_audited_view(changed, verifier).to_string() ==
        "view_malformed: as_of holds exactly chain_hash and root_hash (lower-case hex), tree_size and, for a "
        "view as of a day, date");
  const NoteVerifier other = *NoteVerifier::parse(signer_of(2).verifier_key());
  CHECK(check_audited_view(audited, other).to_string() ==
        "view_signature_invalid: the signature does not verify with example.org/fund's key");
}

}  // namespace
}  // namespace fundledger
