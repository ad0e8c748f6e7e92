#pragma once
// The table of each event type's data for domain/schema.cc: its fields,
// the kind of value each holds, and which are required. Included by
// schema.cc alone.

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "domain/event.h"

namespace fundledger::schema_table {

enum class Kind {
  kId,            // a business id
  kText,          // free text: a name, a title, a reason
  kDate,          // YYYY-MM-DD
  kAmount,        // money in the currency of the event's `currency` field
  kUsd,           // money in US dollars
  kPledgeAmount,  // money in the currency of the pledge it names
  kCurrency,
  kCountry,
  kRegion,
  kRegions,       // a non-empty list of distinct regions
  kDonorKind,
  kRole,          // manager, board or auditor
  kTokenHash,     // the first 16 hex digits of a token's SHA-256
  kSeq,           // an event's seq, decimal without leading zeros
  kReversible,    // the name of a type is_reversible() accepts
  kIncomeKind,    // interest, investment or other
  kCostKind,      // admin_fee, direct_cost, bank_charge or other
  kBasisPoints,   // a whole number of hundredths of a percent, 0 to 10000
  kCountries,     // ISO 3166-1 alpha-3 codes separated by spaces
  kDecisionKind,  // call, approval, programme, terms or other
};

inline std::string_view kind_name(Kind kind) {
  static constexpr std::array<std::string_view, 20> kNames = {
      "id",      "text",   "date",    "amount",     "usd",  "pledge_amount", "currency",
      "country", "region", "regions", "donor_kind", "role", "token_hash",    "seq",
      "event_type", "income_kind", "cost_kind", "basis_points", "countries", "decision_kind"};
  return kNames[static_cast<std::size_t>(kind)];
}

struct Field {
  std::string_view name;
  Kind kind;
  bool required;
  bool filled = false;  // the ledger copies it from the event reversed
};

struct TypeSchema {
  std::string_view name;
  std::vector<Field> fields;  // sorted by name, so refusals come in a stable order
};

constexpr bool kRequired = true;
constexpr bool kOptional = false;
constexpr bool kFilled = true;

// Indexed by EventType.
inline const std::array<TypeSchema, kEventTypeCount>& schemas() {
  static const std::array<TypeSchema, kEventTypeCount> kSchemas = {{
      {"donor.registered",
       {{"country", Kind::kCountry, kOptional},
        {"donor", Kind::kId, kRequired},
        {"kind", Kind::kDonorKind, kRequired},
        {"name", Kind::kText, kRequired}}},
      {"programme.registered",
       {{"name", Kind::kText, kRequired}, {"programme", Kind::kId, kRequired}}},
      {"pledge.recorded",
       {{"amount", Kind::kAmount, kRequired},
        {"currency", Kind::kCurrency, kRequired},
        {"donor", Kind::kId, kRequired},
        {"due_on", Kind::kDate, kOptional},
        {"pledge", Kind::kId, kRequired},
        {"pledged_on", Kind::kDate, kRequired},
        {"programme", Kind::kId, kOptional}}},
      {"pledge.written_off",
       {{"amount", Kind::kPledgeAmount, kRequired},
        {"pledge", Kind::kId, kRequired},
        {"reason", Kind::kText, kRequired},
        {"written_off_on", Kind::kDate, kRequired}}},
      {"contribution.received",
       {{"admin_fee_usd", Kind::kUsd, kOptional, kFilled},
        {"amount", Kind::kAmount, kRequired},
        {"contribution", Kind::kId, kRequired},
        {"currency", Kind::kCurrency, kRequired},
        {"donor", Kind::kId, kRequired},
        {"pledge", Kind::kId, kOptional},
        {"received_on", Kind::kDate, kRequired},
        {"usd", Kind::kUsd, kRequired}}},
      {"call.opened",
       {{"budget_usd", Kind::kUsd, kRequired},
        {"call", Kind::kId, kRequired},
        {"closes_on", Kind::kDate, kRequired},
        {"decision", Kind::kId, kRequired},
        {"opened_on", Kind::kDate, kRequired},
        {"programme", Kind::kId, kRequired},
        {"regions", Kind::kRegions, kOptional},
        {"title", Kind::kText, kRequired}}},
      {"call.closed",
       {{"call", Kind::kId, kRequired}, {"closed_on", Kind::kDate, kRequired}}},
      {"proposal.submitted",
       {{"applicant", Kind::kText, kRequired},
        {"call", Kind::kId, kRequired},
        {"country", Kind::kCountry, kRequired},
        {"focal_point", Kind::kText, kOptional},
        {"proposal", Kind::kId, kRequired},
        {"region", Kind::kRegion, kRequired},
        {"requested_usd", Kind::kUsd, kRequired},
        {"submitted_on", Kind::kDate, kRequired}}},
      {"proposal.approved",
       {{"approved_usd", Kind::kUsd, kRequired},
        {"decided_on", Kind::kDate, kRequired},
        {"decision", Kind::kId, kRequired},
        {"proposal", Kind::kId, kRequired}}},
      {"proposal.rejected",
       {{"decided_on", Kind::kDate, kRequired},
        {"decision", Kind::kId, kRequired},
        {"proposal", Kind::kId, kRequired},
        {"reason", Kind::kText, kRequired}}},
      {"disbursement.made",
       {{"amount_usd", Kind::kUsd, kRequired},
        {"disbursement", Kind::kId, kRequired},
        {"paid_on", Kind::kDate, kRequired},
        {"proposal", Kind::kId, kRequired}}},
      {"refund.received",
       {{"amount_usd", Kind::kUsd, kRequired},
        {"proposal", Kind::kId, kRequired},
        {"received_on", Kind::kDate, kRequired},
        {"refund", Kind::kId, kRequired}}},
      {"allocation.released",
       {{"amount_usd", Kind::kUsd, kRequired},
        {"proposal", Kind::kId, kRequired},
        {"reason", Kind::kText, kRequired},
        {"released_on", Kind::kDate, kRequired}}},
      {"income.received",
       {{"amount_usd", Kind::kUsd, kRequired},
        {"income", Kind::kId, kRequired},
        {"kind", Kind::kIncomeKind, kRequired},
        {"reason", Kind::kText, kOptional},
        {"received_on", Kind::kDate, kRequired}}},
      {"cost.charged",
       {{"amount_usd", Kind::kUsd, kRequired},
        {"charged_on", Kind::kDate, kRequired},
        {"cost", Kind::kId, kRequired},
        {"kind", Kind::kCostKind, kRequired},
        {"reason", Kind::kText, kRequired}}},
      {"terms.set",
       {{"admin_fee_bps", Kind::kBasisPoints, kOptional},
        {"dual_control_usd", Kind::kUsd, kOptional},
        {"effective_on", Kind::kDate, kRequired},
        {"eligible_countries", Kind::kCountries, kOptional}}},
      {"disbursement.requested",
       {{"amount_usd", Kind::kUsd, kRequired},
        {"disbursement", Kind::kId, kRequired},
        {"proposal", Kind::kId, kRequired},
        {"requested_on", Kind::kDate, kRequired}}},
      {"disbursement.cancelled",
       {{"cancelled_on", Kind::kDate, kRequired},
        {"disbursement", Kind::kId, kRequired},
        {"reason", Kind::kText, kRequired}}},
      {"decision.recorded",
       {{"decision", Kind::kId, kRequired},
        {"kind", Kind::kDecisionKind, kRequired},
        {"meeting_on", Kind::kDate, kRequired},
        {"summary", Kind::kText, kRequired}}},
      {"board.member.appointed",
       {{"co_chair_to", Kind::kDate, kOptional},
        {"country", Kind::kCountry, kRequired},
        {"from", Kind::kDate, kRequired},
        {"member", Kind::kId, kRequired},
        {"region", Kind::kRegion, kRequired},
        {"seat", Kind::kId, kRequired},
        {"shared_with", Kind::kCountry, kOptional},
        {"to", Kind::kDate, kOptional}}},
      {"board.member.left",
       {{"left_on", Kind::kDate, kRequired}, {"member", Kind::kId, kRequired}, {"reason", Kind::kText, kOptional}}},
      {"entry.reversed",
       {{"admin_fee_usd", Kind::kUsd, kOptional, kFilled},
        {"amount", Kind::kAmount, kOptional, kFilled},
        {"amount_usd", Kind::kUsd, kOptional, kFilled},
        {"contribution", Kind::kId, kOptional, kFilled},
        {"currency", Kind::kCurrency, kOptional, kFilled},
        {"disbursement", Kind::kId, kOptional, kFilled},
        {"donor", Kind::kId, kOptional, kFilled},
        {"pledge", Kind::kId, kOptional, kFilled},
        {"proposal", Kind::kId, kOptional, kFilled},
        {"reason", Kind::kText, kRequired},
        {"refund", Kind::kId, kOptional, kFilled},
        {"reversed_on", Kind::kDate, kRequired},
        {"reverses", Kind::kReversible, kOptional, kFilled},
        {"seq", Kind::kSeq, kRequired},
        {"usd", Kind::kUsd, kOptional, kFilled}}},
      {"access.granted",
       {{"donor", Kind::kId, kOptional},
        {"expires_on", Kind::kDate, kOptional},
        {"name", Kind::kId, kRequired},
        {"role", Kind::kRole, kRequired},
        {"token", Kind::kTokenHash, kRequired}}},
      {"access.revoked",
       {{"name", Kind::kId, kRequired}, {"role", Kind::kRole, kRequired}, {"token", Kind::kTokenHash, kRequired}}},
  }};
  return kSchemas;
}

}  // namespace fundledger::schema_table
