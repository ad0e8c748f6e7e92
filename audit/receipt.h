#pragma once
// Receipts: proof files of c2sp.org/tlog-proof that an event is in the log,
// checked offline with nothing but the log's key or a policy
// (audit/policy.h). `GET /v1/events/{seq}/receipt` and `fundledger
// receipt SEQ` make them; `fundledger receipt verify` checks them.
//
//   c2sp.org/tlog-proof@v1
//   extra <base64 of the event's canonical bytes>
//   index <the event's leaf index: its seq less one>
//   <the inclusion path, one base64 hash a line, from the leaf's sibling up>
//
//   <the checkpoint that covers it, with every cosignature gathered>
//
// The extra line carries the event itself, so that a receipt says what was
// recorded without the server; an event given beside it must be the same.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/policy.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

inline constexpr std::string_view kReceiptHeader = "c2sp.org/tlog-proof@v1";
inline constexpr std::size_t kReceiptPathMax = 63;

struct EventReceipt {
  std::optional<std::string> extra;  // the event's canonical bytes
  std::uint64_t index = 0;
  std::vector<Hash> path;
  std::string note;  // the signed checkpoint, as kept
};

std::string receipt_text(const EventReceipt& receipt);
// Refusal: receipt, saying what is wrong with the text.
Result<EventReceipt> parse_receipt(std::string_view text);

// The canonical bytes (RFC 8785) of an event as the API and `events` give
// it: its JSON without the leaf_hash and chain_hash they add. Refusals:
// those of the strict JSON reader, receipt (not an object).
Result<std::string> event_canonical_bytes(std::string_view json);

// What a receipt proves: the event and the checkpoint it is under.
struct ReceiptCheck {
  std::string event;  // canonical bytes
  Checkpoint checkpoint;
  std::optional<QuorumReport> quorum;  // under a policy
};

// Checks a receipt: the event (`event_bytes`, else the receipt's extra;
// both must agree when both are there) is leaf `index` of the checkpoint's
// tree by the inclusion path, and the checkpoint is signed by `key`, or,
// under `policy`, by one of its logs and cosigned to its quorum.
// Refusals: receipt, those of check_inclusion, read_checkpoint_note and
// read_policy_checkpoint (quorum).
Result<ReceiptCheck> check_receipt(const EventReceipt& receipt, const std::optional<std::string>& event_bytes,
                                   const NoteVerifier* key, const Policy* policy);

}  // namespace fundledger
