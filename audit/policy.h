#pragma once
// What an auditor trusts of a log and its witnesses: a policy of
// c2sp.org/tlog-policy, and whether a cosigned checkpoint meets it.
//
//   log <verifier key> [<url>]
//   witness <name> <cosigner's verifier key> [<url>]
//   group <name> all|any|<k> <name>...
//   quorum <name>|none
//
// Fields are separated by spaces or tabs; '#' lines and blank lines are
// allowed. A group names witnesses and groups defined above it, each once;
// k is between 1 and the number it names. There is one quorum line. A
// policy for the Board and the donors:
//
//   log fund.example.org+1a2b3c4d+AQ...
//   witness board-chile board.cl.example+...+BA...
//   witness board-japan board.jp.example+...+BA...
//   witness board-kenya board.ke.example+...+BA...
//   witness donor-norway donor.no.example+...+BA...
//   group board 2 board-chile board-japan board-kenya
//   group donors any donor-norway
//   group fund all board donors
//   quorum fund

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/cosignature.h"
#include "audit/note.h"
#include "util/status.h"

namespace fundledger {

struct Policy {
  struct Witness {
    std::string name;
    CosignatureVerifier key;
  };
  struct Group {
    std::string name;
    std::size_t threshold = 0;  // of members
    std::vector<std::string> members;  // witnesses' and earlier groups' names
  };
  std::vector<NoteVerifier> logs;
  std::vector<Witness> witnesses;
  std::vector<Group> groups;
  std::string quorum;  // a witness's or group's name, or "none"
};

// Refusal: policy, naming the line and what is wrong with it.
Result<Policy> parse_policy(std::string_view text);

// The lines of a file in a policy's shape (a policy, a witness's logs
// file, a ledger's witnesses file): each line's fields, separated by
// spaces or tabs, with its number, '#' lines and blank lines passed over.
// `line` returns what is wrong with a line, which stops the reading:
// `code` "line N of `file`: what".
using PolicyLine = std::function<std::optional<std::string>(const std::vector<std::string_view>& fields)>;
Status for_each_policy_line(std::string_view text, Code code, std::string_view file, const PolicyLine& line);

// What a checkpoint's cosignatures give under a policy: whether the quorum
// is met, and the witnesses by name that signed (with the time), did not,
// or signed with a line that does not verify.
struct QuorumReport {
  bool met = false;
  struct Signed {
    std::string name;
    std::uint64_t time = 0;
  };
  std::vector<Signed> signed_by;
  std::vector<std::string> missing;
  std::vector<std::string> bad;
};
QuorumReport check_quorum(const Policy& policy, const SplitNote& note);

// A checkpoint note signed by one of the policy's logs and cosigned to its
// quorum, read. Refusals: those of read_checkpoint_note (policy when no
// log of the policy has the note's origin), quorum (naming the witnesses
// that signed and the quorum). `report` says who signed either way.
Result<Checkpoint> read_policy_checkpoint(std::string_view note, const Policy& policy, QuorumReport& report);

// The report as a line a person reads: "signed by a, b; not signed by c;
// bad signature by d".
std::string quorum_summary(const QuorumReport& report);

}  // namespace fundledger
