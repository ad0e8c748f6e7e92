#pragma once
// Events (SPEC 1.1): what a client sends, `{"id","type","data"}`, checked
// strictly and with its data normalised (a Draft), and what the ledger
// stores, the Draft plus `seq`, `recorded_at` and `actor` written as RFC 8785
// canonical bytes (an Event).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/formats.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/status.h"

namespace fundledger {

enum class EventType : std::uint8_t {
  kDonorRegistered,
  kProgrammeRegistered,
  kPledgeRecorded,
  kPledgeWrittenOff,
  kContributionReceived,
  kCallOpened,
  kCallClosed,
  kProposalSubmitted,
  kProposalApproved,
  kProposalRejected,
  kDisbursementMade,
  kRefundReceived,
  kAllocationReleased,
  // Money the fund earns besides contributions (interest, investment
  // income) and what it pays besides grants (fees, direct costs, bank
  // charges).
  kIncomeReceived,
  kCostCharged,
  // The fund's terms from a day on: the countries proposals may come from,
  // the administrative agent's fee on contributions, the payments that need
  // a second manager.
  kTermsSet,
  // A payment under dual control: requested by one manager, reserving the
  // money, then made by another (disbursement.made of the same id) or
  // cancelled.
  kDisbursementRequested,
  kDisbursementCancelled,
  // A decision of the Board at one of its meetings, which calls opened and
  // proposals approved or rejected rest on.
  kDecisionRecorded,
  // The Board's members: a country appointed to a seat of its regional
  // group for a term, and its leaving before the term ends.
  kBoardMemberAppointed,
  kBoardMemberLeft,
  // A correction: the exact opposite of an earlier contribution, write-off,
  // disbursement, refund or release (see is_reversible).
  kEntryReversed,
  // Recorded by the ledger itself when its tokens change, never sent by a
  // client (see is_access_event).
  kAccessGranted,
  kAccessRevoked,
};
inline constexpr std::size_t kEventTypeCount = 24;
// The fund's own types: every type but the two access events.
inline constexpr std::size_t kFundEventTypeCount = 22;

// Whether `type` records who may use the API (access.granted,
// access.revoked): the ledger writes these from its tokens file, and a
// client sending one is refused with `reserved_type`.
inline bool is_access_event(EventType type) {
  return type == EventType::kAccessGranted || type == EventType::kAccessRevoked;
}

// Whether an event of `type` may be reversed by `entry.reversed`: money
// that came in or went out, or a pledge written off.
inline bool is_reversible(EventType type) {
  return type == EventType::kContributionReceived || type == EventType::kPledgeWrittenOff ||
         type == EventType::kDisbursementMade || type == EventType::kRefundReceived ||
         type == EventType::kAllocationReleased;
}

// "pledge.recorded" and back.
std::string_view event_type_name(EventType type);
std::optional<EventType> event_type_from_name(std::string_view name);

// Limits on what a client may send.
inline constexpr std::size_t kEventBytesMax = 64 * 1024;  // one event's JSON text
inline constexpr std::size_t kFieldBytesMax = 1024;       // one string, keys included
// An event nests no deeper than event -> data -> regions.
inline constexpr std::size_t kEventDepthMax = 3;
inline constexpr JsonLimits kEventJsonLimits{kEventDepthMax, kFieldBytesMax};

// One member of an event's data. Every value is a string but `regions`, a
// list of strings.
struct DataField {
  std::string_view name;  // the schema's name for it (static storage)
  std::string value;
  std::vector<std::string> list;
  bool is_list = false;
};

// An event's data: its fields sorted by name, which for these ASCII names is
// RFC 8785 order.
class EventData {
 public:
  // The string field `name`, or nullptr when absent.
  const std::string* get(std::string_view name) const;
  // The list field `name`, or nullptr when absent.
  const std::vector<std::string>* list(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Sets the string field `name`, which must be present.
  void set(std::string_view name, std::string value);
  // Adds a field after the last one; names must come in sorted order.
  void add(DataField field);
  // Adds a field in its place by name; it must not be there yet.
  void insert(DataField field);
  void reserve(std::size_t fields) { fields_.reserve(fields); }
  const std::vector<DataField>& fields() const { return fields_; }
  // Appends the RFC 8785 bytes of the data object.
  void append_canonical(std::string& out) const;

 private:
  const DataField* find(std::string_view name) const;
  std::vector<DataField> fields_;
};

// The client's part of an event after strict decoding. `data` holds only the
// fields of its type, each valid alone, amounts normalised to the minor units
// of their currency; `data_bytes` is its canonical serialisation. Only the
// amount of a `pledge.written_off` stays as sent: its currency is the
// pledge's, which the writer knows (see normalise_written_off_amount).
struct Draft {
  std::string id;
  EventType type = EventType::kDonorRegistered;
  EventData data;
  std::string data_bytes;
};

// Decodes one event from JSON text. Refusals carry the code and the field
// path: malformed_json, invalid_utf8, duplicate_key, float_not_allowed,
// integer_out_of_range, too_deep, string_too_long, event_too_large,
// invalid_type, unknown_field, missing_field, unknown_type, invalid_id, and
// the data's own codes (see validate_data in domain/schema.h).
Result<Draft> decode_draft(std::string_view text);
// The same for one value of a parsed document (an element of an array of
// events); paths in refusals are relative to it.
Result<Draft> decode_draft(const JsonDoc& doc, std::uint32_t node);

// Refuses an access event from a client (`reserved_type`, field "type"):
// the ledger records these itself from its tokens file.
Status check_client_type(const Draft& draft);

// Rewrites a `pledge.written_off` draft's amount for the pledge's currency.
// Refuses with `invalid_amount` when it has more decimals than that currency.
Status normalise_written_off_amount(Draft& draft, int minor_units);

// An event as stored.
struct Event {
  std::uint64_t seq = 0;
  std::string id;
  EventType type = EventType::kDonorRegistered;
  std::string actor;
  std::string recorded_at;
  EventData data;
};

// The canonical bytes of the event that `draft` becomes at `seq`. The keys
// of the envelope are fixed, so the bytes are spliced around the draft's
// canonical data rather than serialised again. The second form writes
// them into `out`, replacing what it held.
std::string event_bytes(const Draft& draft, std::uint64_t seq,
                        std::string_view recorded_at, std::string_view actor);
void write_event_bytes(std::string& out, const Draft& draft, std::uint64_t seq,
                       std::string_view recorded_at, std::string_view actor);

// The envelope of stored bytes, read by their fixed shape without parsing
// the data: {"actor":"..","data":{..},"id":"..","recorded_at":"..",
// "seq":N,"type":".."}. Views point into the bytes. nullopt when the bytes
// do not have that shape or a member is not valid (an actor, an id, a
// timestamp, a seq without leading zeros, a known type). Verification uses
// it on bytes whose leaf hash it has already checked.
struct Envelope {
  std::string_view actor;
  std::string_view data;
  std::string_view id;
  std::string_view recorded_at;
  Millis recorded_ms = 0;  // recorded_at, read
  std::uint64_t seq = 0;
  EventType type = EventType::kDonorRegistered;
};
std::optional<Envelope> read_envelope(std::string_view bytes);

// Appends the stored event `bytes` with its hashes added, as `events` and
// the API show an event: canonical JSON with "chain_hash" and "leaf_hash"
// in their places among the members. False (and nothing appended) when the
// bytes are not an event.
bool append_event_with_hashes(std::string& out, std::string_view bytes, const Hash& leaf,
                              const Hash& chain);

// Decodes stored bytes into an Event, checking the envelope and the data's
// schema. It does not check that the bytes are canonical: check_canonical
// does that.
Result<Event> decode_event(std::string_view bytes);

}  // namespace fundledger
