#pragma once
// A witness's side of c2sp.org/tlog-witness: the body of a POST
// /add-checkpoint, and what the witness answers to it given the latest
// checkpoint it cosigned of that log, apart from how requests arrive and
// where that checkpoint is kept (ledger/witness_state.h, api/witness.h).
//
// The body is "old N\n", at most 63 lines of base64 hashes (the
// consistency proof from size N), an empty line, and the signed
// checkpoint note. The witness cosigns (200, its signature line) only a
// checkpoint signed by a key it trusts for the origin (404 when it knows
// no such log, 403 when no trusted signature verifies) whose old size is
// the size it holds (409 with that size, as text/x.tlog.size), no larger
// than the new size (400), and whose proof shows the new tree extends the
// one it holds (422); at the same size, only the same root (422, as the
// spec says since C2SP #280; older witnesses answer 409).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/cosignature.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

inline constexpr std::size_t kWitnessProofLinesMax = 63;
inline constexpr std::string_view kTlogSizeType = "text/x.tlog.size";

// A log the witness cosigns: its origin and the keys that sign it.
struct WitnessedLog {
  std::string origin;
  std::vector<NoteVerifier> keys;
};

// The logs a witness knows, from a file of lines "log <verifier key>"
// (c2sp.org/tlog-policy's log lines; the key's name is the origin, as a
// checkpoint of this ledger names it), '#' comments and blank lines.
// Refusal: usage, naming the line.
Result<std::vector<WitnessedLog>> parse_witnessed_logs(std::string_view text);

// The tree head a witness holds of a log.
struct WitnessedHead {
  std::uint64_t size = 0;
  Hash root{};
  bool operator==(const WitnessedHead&) const = default;
};

struct AddCheckpoint {
  std::uint64_t old_size = 0;
  std::vector<Hash> proof;
  std::string note;  // the signed checkpoint, as sent
};

// Refusal: bad_request, saying what is wrong with the body.
Result<AddCheckpoint> parse_add_checkpoint(std::string_view body);
// The body of a request, as a log sends it.
std::string add_checkpoint_body(std::uint64_t old_size, const std::vector<Hash>& proof, std::string_view note);

struct WitnessAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  // On 200: the origin and the head to keep, before the answer is sent.
  std::string origin;
  std::optional<WitnessedHead> keep;
};

// The checkpoint a request is about, for finding what the witness holds
// of its log: nullopt with the answer to send when it is refused first
// (400 not a request or checkpoint, 404 unknown origin, 403 unsigned).
struct Submitted {
  AddCheckpoint request;
  Checkpoint checkpoint;
  std::string text;  // the note's text, which the cosignature signs
};
std::optional<Submitted> submitted(std::string_view body, const std::vector<WitnessedLog>& logs,
                                   WitnessAnswer& refusal);

// The answer to `s` by `cosigner` at `time`, given the head held of its
// log (none: never cosigned). A 200 sets `keep`.
WitnessAnswer witness_answer(const Submitted& s, const std::optional<WitnessedHead>& held, const Cosigner& cosigner,
                             std::uint64_t time);

}  // namespace fundledger
