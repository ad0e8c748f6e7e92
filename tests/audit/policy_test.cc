// Policies of c2sp.org/tlog-policy: their lines as the spec writes them,
// each mistake refused with the line it is on, and quorums of witnesses
// and groups met or not by a checkpoint's cosignatures.

#include <catch2/catch.hpp>

#include "tests/audit/audit_support.h"

#include "audit/checkpoint.h"
#include "audit/policy.h"

namespace fundledger {
namespace {

using test::seed_of;

struct Fixture {
  NoteSigner log = *NoteSigner::from_seed("fund.example/ledger", seed_of(1));
  std::vector<Cosigner> witnesses;
  std::string text = checkpoint_text(Checkpoint{"fund.example/ledger", 12, sha256("root"), {}});
  Fixture() {
    for (std::uint8_t i = 0; i < 4; ++i) {
      witnesses.push_back(*Cosigner::from_seed("w" + std::to_string(i + 1) + ".example", seed_of(10 + i)));
    }
  }
  // The Board's three members, two of them enough, and one donor.
  std::string policy() const {
    return "# the fund's auditor\nlog " + log.verifier_key() + "\n\nwitness board-cl " + witnesses[0].verifier_key() +
           "\nwitness board-jp\t" + witnesses[1].verifier_key() + " https://w2.example/\nwitness board-ke " +
           witnesses[2].verifier_key() + "\nwitness donor-no " + witnesses[3].verifier_key() +
           "\ngroup board 2 board-cl board-jp board-ke\ngroup donors any donor-no\n  group fund all board donors  \n"
           "quorum fund\n";
  }
  // The checkpoint, signed by the log and cosigned by the witnesses of `which`.
  std::string note(const std::vector<int>& which) const {
    std::string out = log.sign(text);
    for (const int i : which) out += witnesses[static_cast<std::size_t>(i)].cosign(text, 1796700000);
    return out;
  }
};

TEST_CASE("a policy's quorum of groups is met by exactly the cosignatures it asks for", "[policy]") {
  const Fixture f;
  const Result<Policy> policy = parse_policy(f.policy());
  REQUIRE(policy.is_ok());
  CHECK(policy->witnesses.size() == 4);
  CHECK(policy->groups.size() == 3);
  CHECK(policy->quorum == "fund");
  QuorumReport report;
  // Two of the Board and the donor.
  Result<Checkpoint> read = read_policy_checkpoint(f.note({0, 2, 3}), *policy, report);
  CHECK(read.is_ok());
  CHECK(report.met);
  CHECK(report.signed_by.size() == 3);
  CHECK(report.signed_by[0].time == 1796700000);
  CHECK(report.missing == std::vector<std::string>{"board-jp"});
  // One of the Board is not enough, even with the donor.
  read = read_policy_checkpoint(f.note({1, 3}), *policy, report);
  CHECK(read.status().to_string() ==
        "quorum: the checkpoint of size 12 does not meet the quorum fund: signed by board-jp, donor-no; not signed by "
        "board-cl, board-ke");
  // The whole Board without a donor is not either.
  CHECK(read_policy_checkpoint(f.note({0, 1, 2}), *policy, report).status().code() == Code::kQuorum);
  // A cosignature that does not verify is named as bad and does not count.
  std::string forged = f.note({0, 2});
  forged += f.witnesses[3].cosign(checkpoint_text(Checkpoint{"fund.example/ledger", 12, sha256("other"), {}}), 1);
  read = read_policy_checkpoint(forged, *policy, report);
  CHECK(read.status().code() == Code::kQuorum);
  CHECK(report.bad == std::vector<std::string>{"donor-no"});
  CHECK(quorum_summary(report) == "signed by board-cl, board-ke; not signed by board-jp; bad signature by donor-no");
  // Without the log's own signature nothing is read.
  const std::string unsigned_by_log = f.text + "\n" + f.witnesses[0].cosign(f.text, 1);
  CHECK(read_policy_checkpoint(unsigned_by_log, *policy, report).status().code() == Code::kNoteUnsigned);
}

TEST_CASE("quorum none is met by the log's signature alone; a witness alone may be the quorum", "[policy]") {
  const Fixture f;
  QuorumReport report;
  const Policy none = *parse_policy("log " + f.log.verifier_key() + "\nquorum none\n");
  CHECK(read_policy_checkpoint(f.note({}), none, report).is_ok());
  const Policy one = *parse_policy("log " + f.log.verifier_key() + "\nwitness a " + f.witnesses[0].verifier_key() +
                                   "\nquorum a\n");
  CHECK(read_policy_checkpoint(f.note({0}), one, report).is_ok());
  CHECK(read_policy_checkpoint(f.note({1}), one, report).status().code() == Code::kQuorum);
}

TEST_CASE("each mistake of a policy is refused with its line", "[policy]") {
  const Fixture f;
  const std::string log = "log " + f.log.verifier_key() + "\n";
  const std::string w1 = "witness a " + f.witnesses[0].verifier_key() + "\n";
  const std::string w2 = "witness b " + f.witnesses[1].verifier_key() + "\n";
  const auto refusal = [](const std::string& text) { return parse_policy(text).status().to_string(); };
  CHECK(refusal("quorum none\n") == "policy: the policy names no log");
  CHECK(refusal(log) == "policy: the policy has no quorum line");
  CHECK(refusal(log + "quorum none\nquorum none\n") == "policy: line 3 of the policy: a policy has one quorum line");
  CHECK(refusal(log + "quorum a\n") == "policy: line 2 of the policy: \"a\" is not defined above");
  CHECK(refusal(log + "quorum g\n" + w1 + "group g any a\n") ==
        "policy: line 2 of the policy: \"g\" is not defined above");
  CHECK(refusal(log + w1 + w1) == "policy: line 3 of the policy: \"a\" is defined twice");
  CHECK(refusal(log + w1 + "witness c " + f.witnesses[0].verifier_key() + "\n") ==
        "policy: line 3 of the policy: a witness's key is named twice");
  CHECK(refusal(log + w1 + w2 + "group g 3 a b\nquorum g\n") ==
        "policy: line 4 of the policy: a group's threshold is all, any or a number from 1 to its members' count");
  CHECK(refusal(log + w1 + w2 + "group g 0 a b\nquorum g\n") ==
        "policy: line 4 of the policy: a group's threshold is all, any or a number from 1 to its members' count");
  CHECK(parse_policy(log + w1 + w2 + "group g 2 a b\nquorum g\n").is_ok());
  CHECK(refusal(log + w1 + "group g any a a\n") == "policy: line 3 of the policy: \"a\" is named twice in a group");
  // A note signer's key is not a cosigner's.
  CHECK(refusal(log + "witness a " + f.log.verifier_key() + "\n").starts_with(
      "policy: line 2 of the policy: \"fund.example/ledger+"));
  CHECK(refusal(log + "witness a\n") == "policy: line 2 of the policy: \"witness\" with 1 fields is not a policy line");
}

}  // namespace
}  // namespace fundledger
