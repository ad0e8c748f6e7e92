#pragma once
// The data of each event type (SPEC section 2): its fields, which are
// optional, and the format of each, checked one event at a time. Rules that
// need the rest of the ledger (balances, budgets, who exists) are not here.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "domain/data_view.h"
#include "domain/event.h"
#include "util/json.h"
#include "util/status.h"

namespace fundledger {

// Checks the object at `node` of `doc` (an event's "data") against the
// schema of `type` and fills `out` with its fields, amounts normalised.
// Field paths in refusals are relative to data ("amount"); the caller
// prefixes "data.". Codes:
//   invalid_type     not an object / not a string / not an array of strings
//   unknown_field    a member the type does not have
//   missing_field    a required member is absent
//   invalid_id       a business id that does not match SPEC 1.3
//   invalid_value    empty text, text with control characters, a donor kind
//                    not in the list, an empty or repeated regions list,
//                    a role not of kRoles, a token hash not 16 hex digits
//   string_too_long  a text over kFieldBytesMax bytes
//   invalid_date     not YYYY-MM-DD, or a day that does not exist
//   invalid_amount   see parse_amount in domain/money.h
//   invalid_currency not an ISO 4217 code of the built-in table
//   invalid_country  not an ISO 3166-1 alpha-3 code
//   invalid_region   not AFR, APG, EEG, GRULAC or WEOG
//   invalid_dates    a call that closes before it opens
//   usd_mismatch     a USD contribution whose usd differs from its amount
Status validate_data(EventType type, const JsonDoc& doc, std::uint32_t node, EventData& out);

// The field of `type`'s data that holds its business date: the day it
// happened for the fund ("pledged_on", "received_on", "paid_on", ...), ""
// for the registrations and the access events, which have none.
std::string_view date_field(EventType type);

// An event's business date, YYYY-MM-DD: its date field, or for a type
// without one the day of its recorded_at. Views and statements as of a day
// choose events by it.
std::string_view business_date(EventType type, const DataView& data, std::string_view recorded_at);

// The largest fee of terms.set: 10000 basis points, all of it.
inline constexpr std::uint64_t kBasisPointsMax = 10000;

// The hex digits of a token's SHA-256 that an access event names.
inline constexpr std::size_t kTokenHashDigits = 16;

// Donor kinds of `donor.registered`.
bool is_donor_kind(std::string_view kind);
std::span<const std::string_view> donor_kinds();
// The kinds of `income.received` (interest, investment, other) and of
// `cost.charged` (admin_fee, direct_cost, bank_charge, other).
std::span<const std::string_view> income_kinds();
std::span<const std::string_view> cost_kinds();
// The kinds of `decision.recorded`: call, approval, programme, terms, other.
std::span<const std::string_view> decision_kinds();

// A field of an event type's data, for a form: its name, its kind ("id",
// "text", "date", "amount" (in the event's currency), "usd",
// "pledge_amount" (in the pledge's currency), "currency", "country",
// "region", "regions", "donor_kind", "role", "token_hash", "seq",
// "event_type", "income_kind", "cost_kind", "basis_points", "countries", "decision_kind"), whether it is required, and whether the ledger fills it
// (an entry.reversed's copy of the event it reverses).
struct FieldInfo {
  std::string_view name;
  std::string_view kind;
  bool required;
  bool filled;
};
// The fields of `type`'s data, sorted by name.
std::vector<FieldInfo> data_fields(EventType type);

}  // namespace fundledger
