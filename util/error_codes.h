#pragma once
// Every code the program can return, in one table: what a client, a fund
// manager at the command line or an auditor reads in `"code"` (an error)
// or `"check"` (a failed verification), the HTTP status the server
// answers it with, the exit code of the command that meets it, and what it
// means. Status (util/status.h) carries one of these; a code that is not
// here does not compile.
//
// HTTP status 0: the server never answers with this code. It belongs to
// the command line (usage, a ledger that cannot be opened) or to what
// `verify` and `audit` report. A 500 is the server's own failure: the
// client reads `internal_error` and the log says which code it was.
//
// Where a refusal is about a field, 400 says the field itself is malformed
// or out of range (whatever the event type or route), 422 that a rule of
// SPEC section 2 refuses an event that is well formed.
//
// Exit codes (SPEC 5): 0 success, 1 a refusal or a failed verification,
// 2 a mistake in how the command was called.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace fundledger {

// X(constant, code, HTTP status, exit code, meaning)
#define FUNDLEDGER_ERROR_CODES(X)                                                                               \
  X(kOk, "ok", 200, 0, "no error")                                                                             \
  /* JSON text, as the strict reader (util/json.h) refuses it */                                               \
  X(kMalformedJson, "malformed_json", 400, 1, "the text is not JSON")                                          \
  X(kInvalidUtf8, "invalid_utf8", 400, 1, "a string is not valid UTF-8 (a lone surrogate among them)")         \
  X(kDuplicateKey, "duplicate_key", 400, 1, "an object has a member twice")                                   \
  X(kFloatNotAllowed, "float_not_allowed", 400, 1, "a number has a fraction or an exponent")                  \
  X(kIntegerOutOfRange, "integer_out_of_range", 400, 1, "an integer does not fit in 64 bits")                 \
  X(kTooDeep, "too_deep", 400, 1, "objects and arrays nest deeper than allowed")                               \
  X(kStringTooLong, "string_too_long", 400, 1, "a string is longer than allowed")                             \
  X(kNotCanonical, "not_canonical", 0, 1, "a stored or bundled line is not the RFC 8785 bytes of its JSON")    \
  /* An event as a client sends it (SPEC 1.1, 1.3): the form of each field */                                  \
  X(kEventTooLarge, "event_too_large", 0, 1, "a line of `append` is over 64 KiB")                              \
  X(kInvalidType, "invalid_type", 400, 1, "a value is not of its field's JSON type")                          \
  X(kUnknownField, "unknown_field", 400, 1, "a member the event or its type does not have")                   \
  X(kMissingField, "missing_field", 400, 1, "a required member is absent")                                    \
  X(kUnknownType, "unknown_type", 400, 1, "the event type is not one of SPEC 2")                              \
  X(kInvalidId, "invalid_id", 400, 1, "an event id or business id does not have the form of SPEC 1.1/1.3")    \
  X(kInvalidValue, "invalid_value", 400, 1, "empty text, control characters, a value outside its list")      \
  X(kInvalidDate, "invalid_date", 400, 1, "not a calendar date written YYYY-MM-DD")                           \
  X(kInvalidAmount, "invalid_amount", 400, 1, "not an amount of SPEC 1.3 for its currency")                   \
  X(kInvalidCurrency, "invalid_currency", 400, 1, "not an ISO 4217 code of the built-in table")               \
  X(kInvalidCountry, "invalid_country", 400, 1, "not an ISO 3166-1 alpha-3 code")                              \
  X(kInvalidRegion, "invalid_region", 400, 1, "not AFR, APG, EEG, GRULAC or WEOG")                             \
  X(kTooManyEvents, "too_many_events", 400, 1, "more events in one request than allowed")                     \
  /* The rules of SPEC section 2 */                                                                            \
  X(kIdConflict, "id_conflict", 409, 1, "the event id is in the log with other content")                      \
  X(kDuplicate, "duplicate", 422, 1, "an id used twice: a donor, pledge, call, proposal, payment, token name")   \
  X(kInvalidDates, "invalid_dates", 422, 1, "a call that closes before it opens; an event dated before the one it rests on") \
  X(kUsdMismatch, "usd_mismatch", 422, 1, "a contribution in USD whose usd differs from its amount")          \
  X(kUnknownDonor, "unknown_donor", 422, 1, "no such donor")                                                  \
  X(kUnknownProgramme, "unknown_programme", 422, 1, "no such programme")                                      \
  X(kUnknownPledge, "unknown_pledge", 422, 1, "no such pledge")                                               \
  X(kUnknownCall, "unknown_call", 422, 1, "no such call")                                                     \
  X(kUnknownProposal, "unknown_proposal", 422, 1, "no such proposal")                                         \
  X(kUnknownDecision, "unknown_decision", 422, 1, "no such decision of the Board")                          \
  X(kUnknownMember, "unknown_member", 422, 1, "no such member of the Board")                                \
  X(kSeatTaken, "seat_taken", 422, 1, "the Board's seat is held by another member for part of the term")       \
  X(kRegionFull, "region_full", 422, 1, "the regional group's two seats are held for part of the term")        \
  X(kExceedsOutstanding, "exceeds_outstanding", 422, 1, "more than the pledge's outstanding amount")          \
  X(kPledgeMismatch, "pledge_mismatch", 422, 1, "the pledge is another donor's, or in another currency")      \
  X(kCallNotOpen, "call_not_open", 422, 1, "the call is closed, or the day is outside its dates")             \
  X(kRegionNotEligible, "region_not_eligible", 422, 1, "the call is not open to the proposal's region")       \
  X(kCountryNotEligible, "country_not_eligible", 422, 1, "the fund's terms do not open it to the country")     \
  X(kFeeMismatch, "fee_mismatch", 422, 1, "a contribution's fee is not what the fund's terms take")           \
  X(kNotRequested, "not_requested", 422, 1, "a payment the terms put under dual control was not requested")    \
  X(kSameActor, "same_actor", 422, 1, "the manager who requested a payment may not also make it")            \
  X(kRequestMismatch, "request_mismatch", 422, 1, "a payment differs from the request it makes")              \
  X(kAlreadyDecided, "already_decided", 422, 1, "the Board already decided the proposal")                     \
  X(kExceedsRequest, "exceeds_request", 422, 1, "an approval above the amount requested")                     \
  X(kExceedsBudget, "exceeds_budget", 422, 1, "an approval above what is left of the call's budget")          \
  X(kInsufficientFunds, "insufficient_funds", 422, 1, "an approval above the fund's unallocated money")       \
  X(kNotApproved, "not_approved", 422, 1, "a payment to a proposal that is not approved")                     \
  X(kExceedsAllocation, "exceeds_allocation", 422, 1, "a payment above the proposal's allocation not yet paid") \
  X(kInsufficientCash, "insufficient_cash", 422, 1, "a payment above the fund's cash")                        \
  X(kExceedsDisbursed, "exceeds_disbursed", 422, 1, "a refund above what was paid to the proposal")           \
  X(kExceedsUndisbursed, "exceeds_undisbursed", 422, 1, "a release above the allocation not yet paid")        \
  X(kAmountOverflow, "amount_overflow", 422, 1, "a total the ledger cannot count")                            \
  X(kReservedType, "reserved_type", 422, 1, "an access event: the ledger records these itself from its tokens")  \
  X(kUnknownEvent, "unknown_event", 422, 1, "a reversal of a seq the log does not hold")                      \
  X(kNotReversible, "not_reversible", 422, 1, "a reversal of an event that is not money or a write-off")      \
  X(kAlreadyReversed, "already_reversed", 422, 1, "a reversal of an event already reversed")                  \
  X(kReversalMismatch, "reversal_mismatch", 422, 1, "a reversal whose facts differ from the event's")         \
  /* Requests to the API (SPEC 6) and the command line's arguments */                                         \
  X(kBadRequest, "bad_request", 400, 1, "not an HTTP/1.1 request the server reads")                           \
  X(kInvalidAsOf, "invalid_as_of", 400, 2, "as_of is not a seq of the log")                                    \
  X(kInvalidPeriod, "invalid_period", 400, 2, "not a year, a biennium or a range of days from..to, from <= to")  \
  X(kInvalidSeq, "invalid_seq", 400, 2, "not a seq of the log")                                                \
  X(kInvalidLimit, "invalid_limit", 400, 2, "a page size outside 1 to 1,000")                                  \
  X(kInvalidTreeSize, "invalid_tree_size", 400, 2, "a tree size beyond the log, or two in the wrong order")   \
  X(kUnauthorized, "unauthorized", 401, 1, "no token, or not one of this ledger's")                           \
  X(kForbidden, "forbidden", 403, 1, "the token's role may not use the route")                                \
  X(kRateLimited, "rate_limited", 429, 1, "too many requests without a token from one address; Retry-After says when") \
  X(kNotFound, "not_found", 404, 1, "no such route, event, donor, call, proposal, export or checkpoint")      \
  X(kMethodNotAllowed, "method_not_allowed", 405, 1, "the route does not take the method")                    \
  X(kRequestTimeout, "request_timeout", 408, 1, "a request's body did not arrive in time")                   \
  X(kBodyTooLarge, "body_too_large", 413, 1, "a request's body over 1 MiB")                                    \
  X(kUnsupportedMediaType, "unsupported_media_type", 415, 1, "events are not sent as application/json")       \
  X(kShuttingDown, "shutting_down", 503, 1, "the server is stopping")                                          \
  X(kUsage, "usage", 0, 2, "a wrong option or argument of the command line")                                  \
  X(kIoError, "io_error", 0, 1, "the events given to `append` cannot be read")                                \
  /* The ledger's directory and store */                                                                      \
  X(kNoLedger, "no_ledger", 0, 2, "there is no ledger where --data points")                                   \
  X(kLedgerExists, "ledger_exists", 0, 1, "`init` where a ledger is already")                                  \
  X(kLedgerInUse, "ledger_in_use", 0, 1, "another process has the ledger open for writing")                   \
  X(kNotALedger, "not_a_ledger", 0, 1, "a database that is not a ledger")                                     \
  X(kNoSigningKey, "no_signing_key", 0, 1, "the log's signing or verifier key cannot be read")                \
  X(kTlsError, "tls_error", 0, 1, "the TLS certificate or key cannot be used")                                \
  X(kReadOnly, "read_only", 0, 1, "a write to a ledger opened read-only")                                     \
  X(kInconsistentCheckpoint, "inconsistent_checkpoint", 0, 1, "the log no longer extends its last checkpoint") \
  X(kSnapshotsOutdated, "snapshots_outdated", 500, 1, "snapshots of an earlier layout: `fundledger rebuild`") \
  X(kStorageError, "storage_error", 500, 1, "the disk or the database failed")                                 \
  X(kStorageUnavailable, "storage_unavailable", 503, 1, "the disk failed a write; nothing is appended until it answers")\
  X(kStoreCorrupt, "store_corrupt", 500, 1, "the store holds what the ledger did not write")                   \
  X(kInternalError, "internal_error", 500, 1, "what the server answers for its own failures")                  \
  /* Backups (ledger/backup.h) */                                                                              \
  X(kNoBackup, "no_backup", 0, 2, "no backup of that id in the backup directory")                             \
  X(kNotCheckpointed, "not_checkpointed", 409, 1, "a receipt of an event no checkpoint covers yet")           \
  X(kBackupsOff, "backups_off", 409, 1, "POST /v1/backups to a server started without --backups")             \
  X(kBackupCorrupt, "backup_corrupt", 0, 1, "a backup's files are not what was backed up, or not the log signed")\
  /* Importing a spreadsheet (domain/csv_import.h) */                                                          \
  X(kInvalidCsv, "invalid_csv", 400, 1, "a file to import that is not a CSV file of `export --format csv`")       \
  /* What `verify` finds in a stored log (ledger/verify.h) */                                                  \
  X(kMissingEvent, "missing_event", 0, 1, "an event is absent")                                                \
  X(kMalformedKey, "malformed_key", 0, 1, "a key the ledger does not write")                                   \
  X(kEventBeyondHead, "event_beyond_head", 0, 1, "an event after the head")                                    \
  X(kHashesBeyondHead, "hashes_beyond_head", 0, 1, "hashes after the head")                                    \
  X(kMissingHashes, "missing_hashes", 0, 1, "an event's stored hashes are absent")                             \
  X(kInvalidEnvelope, "invalid_envelope", 0, 1, "an event's stored bytes are not an event")                   \
  X(kSeqMismatch, "seq_mismatch", 0, 1, "an event names another seq than its own")                            \
  X(kRecordedAtDecreasing, "recorded_at_decreasing", 0, 1, "an event recorded before the one it follows")     \
  X(kLeafHashMismatch, "leaf_hash_mismatch", 0, 1, "the bytes give another leaf hash than the one stored")    \
  X(kChainHashMismatch, "chain_hash_mismatch", 0, 1, "the chain gives another hash than the one stored")      \
  X(kHeadMismatch, "head_mismatch", 0, 1, "the head does not name the last event")                            \
  X(kIdIndexMismatch, "id_index_mismatch", 0, 1, "the id index names another event")                          \
  X(kIdNotIndexed, "id_not_indexed", 0, 1, "an event's id is not in the id index")                            \
  X(kTreeNodeMismatch, "tree_node_mismatch", 0, 1, "a stored tree node is not the root of its leaves")        \
  X(kTreeNodeMissing, "tree_node_missing", 0, 1, "a tree node the log needs is absent")                       \
  X(kTreeNodeBeyondHead, "tree_node_beyond_head", 0, 1, "a tree node over leaves after the head")             \
  X(kRuleViolation, "rule_violation", 0, 1, "a stored event that the rules refuse")                            \
  X(kInvariantBroken, "invariant_broken", 0, 1, "the fund's figures stop adding up")                          \
  X(kProjectionMismatch, "projection_mismatch", 0, 1, "a stored snapshot is not what the replay gives")       \
  X(kBusinessIndexMismatch, "business_index_mismatch", 0, 1, "the index of payment ids names another event")  \
  /* What `verify` and `audit` find in checkpoints and bundles (audit/bundle.h) */                             \
  X(kCheckpointSignature, "checkpoint_signature", 0, 1, "a checkpoint does not verify with the key")          \
  X(kCheckpointText, "checkpoint_text", 0, 1, "a note that is not a checkpoint of the key's log")              \
  X(kCheckpointSize, "checkpoint_size", 0, 1, "the log is shorter than a checkpoint signed")                   \
  X(kCheckpointRoot, "checkpoint_root", 0, 1, "the log's root at a checkpoint's size is not the one signed")   \
  X(kEarlierCheckpoint, "earlier_checkpoint", 0, 1, "the earlier checkpoint or bundle given does not verify") \
  X(kHistory, "history", 0, 1, "an event differs from the earlier bundle's")                                  \
  X(kBundleFile, "bundle_file", 0, 1, "a file of the bundle is missing or unreadable")                        \
  X(kVerifierKey, "verifier_key", 0, 1, "not a verifier key, or not the one trusted")                         \
  X(kLine, "line", 0, 1, "a line of events.jsonl is empty, or the file does not end in one")                 \
  X(kSeq, "seq", 0, 1, "a line's seq is not the one after the last")                                          \
  X(kEvent, "event", 0, 1, "a bundled event the ledger could not have appended")                              \
  X(kTreeSize, "tree_size", 0, 1, "the bundle holds more or fewer events than signed")                        \
  X(kRootHash, "root_hash", 0, 1, "the events give another root than the one signed")                         \
  /* Proofs and notes (audit/proof.h, audit/note.h) */                                                        \
  X(kProofIndexBeyondSize, "proof_index_beyond_size", 0, 1, "an inclusion proof of a leaf outside the tree")   \
  X(kProofSizesReversed, "proof_sizes_reversed", 0, 1, "a consistency proof from a larger tree to a smaller") \
  X(kProofWrongLength, "proof_wrong_length", 0, 1, "a proof with more or fewer hashes than the trees need")   \
  X(kProofFirstRootMismatch, "proof_first_root_mismatch", 0, 1, "the proof does not lead to the first root") \
  X(kProofRootMismatch, "proof_root_mismatch", 0, 1, "the proof does not lead to the (second) root")          \
  X(kNoteMalformed, "note_malformed", 0, 1, "not a signed note of c2sp.org/signed-note")                      \
  X(kNoteUnsigned, "note_unsigned", 0, 1, "the note carries no signature by the key")                         \
  X(kNoteSignatureInvalid, "note_signature_invalid", 0, 1, "the key's signature of the note does not verify") \
  X(kPolicy, "policy", 0, 1, "not a policy of c2sp.org/tlog-policy, or not one for this log")               \
  X(kReceipt, "receipt", 0, 1, "not a receipt of c2sp.org/tlog-proof, or not one of the event given")        \
  X(kQuorum, "quorum", 0, 1, "the checkpoint's cosignatures do not meet the policy's quorum")                \
  X(kViewMalformed, "view_malformed", 0, 1, "an audited view not of the shape of SPEC 3")                    \
  X(kViewSignatureInvalid, "view_signature_invalid", 0, 1, "an audited view's signature does not verify")

enum class Code : std::uint8_t {
#define FUNDLEDGER_CODE_CONSTANT(constant, name, http, exit, meaning) constant,
  FUNDLEDGER_ERROR_CODES(FUNDLEDGER_CODE_CONSTANT)
#undef FUNDLEDGER_CODE_CONSTANT
};

struct CodeInfo {
  Code code;
  std::string_view name;     // as clients read it: "invalid_amount"
  int http_status;           // 0: never answered by the server
  int exit_code;             // of the command that meets it
  std::string_view meaning;  // one line
};

// The table, indexed by Code.
inline constexpr CodeInfo kCodes[] = {
#define FUNDLEDGER_CODE_INFO(constant, name, http, exit, meaning) {Code::constant, name, http, exit, meaning},
    FUNDLEDGER_ERROR_CODES(FUNDLEDGER_CODE_INFO)
#undef FUNDLEDGER_CODE_INFO
};
inline constexpr std::size_t kCodeCount = sizeof kCodes / sizeof kCodes[0];

constexpr const CodeInfo& code_info(Code code) { return kCodes[static_cast<std::size_t>(code)]; }
constexpr std::string_view code_name(Code code) { return code_info(code).name; }
constexpr int http_status(Code code) { return code_info(code).http_status; }
constexpr int exit_code(Code code) { return code_info(code).exit_code; }

// The code named `name`, or nullopt.
constexpr std::optional<Code> code_from_name(std::string_view name) {
  for (const CodeInfo& info : kCodes) {
    if (info.name == name) return info.code;
  }
  return std::nullopt;
}

// Writes the code's name (for test output and logs).
std::ostream& operator<<(std::ostream& out, Code code);

}  // namespace fundledger
