#include "domain/schema.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "domain/formats.h"
#include "domain/iso_codes.h"
#include "domain/money.h"
#include "domain/schema_table.h"
#include "util/check.h"

namespace fundledger {
namespace {

using namespace schema_table;

constexpr std::array<std::string_view, 5> kDonorKinds = {
    "government", "multilateral", "private", "foundation", "other"};
constexpr std::array<std::string_view, 3> kIncomeKinds = {"interest", "investment", "other"};
constexpr std::array<std::string_view, 4> kCostKinds = {"admin_fee", "direct_cost", "bank_charge", "other"};
constexpr std::array<std::string_view, 5> kDecisionKinds = {"call", "approval", "programme", "terms", "other"};

using Node = JsonDoc::Node;
using Kind_ = JsonDoc::Kind;

Status field_error(Code code, std::string_view field, const std::string& message) {
  return Status::error(code, message, std::string(field));
}

Status check_text(std::string_view name, std::string_view s) {
  if (s.empty()) return field_error(Code::kInvalidValue, name, "must not be empty");
  if (s.size() > kFieldBytesMax) {
    return field_error(Code::kStringTooLong, name,
                       "is longer than " + std::to_string(kFieldBytesMax) + " bytes");
  }
  // C0 and DEL as bytes; C1 (U+0080 to U+009F) as their UTF-8, 0xC2 then
  // 0x80 to 0x9F (the text is valid UTF-8 by now).
  bool has_control = false;
  for (std::size_t i = 0; i < s.size() && !has_control; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    has_control = c < 0x20 || c == 0x7F ||
                  (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F);
  }
  if (has_control) {
    return field_error(Code::kInvalidValue, name, "must not contain control characters");
  }
  return Status::ok();
}

Status check_regions(std::string_view name, const JsonDoc& doc, std::uint32_t node,
                     DataField& out) {
  if (doc[node].kind != Kind_::kArray) {
    return field_error(Code::kInvalidType, name, "must be an array of region codes");
  }
  if (doc[node].size == 0) {
    return field_error(Code::kInvalidValue, name, "must name at least one region");
  }
  std::array<bool, kRegions.size()> seen{};
  std::size_t i = 0;
  for (std::uint32_t item : doc.children(node)) {
    const std::string path = std::string(name) + "[" + std::to_string(i++) + "]";
    if (doc[item].kind != Kind_::kString) return field_error(Code::kInvalidType, path, "must be a string");
    const auto index = region_index(doc[item].text);
    if (!index) {
      return field_error(Code::kInvalidRegion, path, "must be one of AFR, APG, EEG, GRULAC, WEOG");
    }
    if (seen[*index]) return field_error(Code::kInvalidValue, path, "names a region twice");
    seen[*index] = true;
    out.list.emplace_back(doc[item].text);
  }
  out.is_list = true;
  return Status::ok();
}

// A word of a fixed list: a donor's kind, a role, a kind of income or of
// cost.
Status check_listed(const Field& field, std::string_view s) {
  const auto listed = [&](std::span<const std::string_view> words) -> Status {
    if (std::find(words.begin(), words.end(), s) != words.end()) return Status::ok();
    std::string all;
    for (const std::string_view w : words) all += (all.empty() ? "" : ", ") + std::string(w);
    return field_error(Code::kInvalidValue, field.name, "must be one of " + all);
  };
  switch (field.kind) {
    case Kind::kDonorKind: return listed(kDonorKinds);
    case Kind::kRole: return listed(kRoles);
    case Kind::kIncomeKind: return listed(kIncomeKinds);
    case Kind::kDecisionKind: return listed(kDecisionKinds);
    default: return listed(kCostKinds);
  }
}

Status check_token_hash(std::string_view name, std::string_view s) {
  if (s.size() == kTokenHashDigits && s.find_first_not_of("0123456789abcdef") == std::string_view::npos) {
    return Status::ok();
  }
  return field_error(Code::kInvalidValue, name, "must be the first 16 hex digits (lower case) of the token's SHA-256");
}

// Checks one field alone. Amounts in the event's currency are only checked
// for form here (with the most decimals any currency has); normalise()
// finishes them once the currency is known to be valid.
Status check_value(const Field& field, std::string_view s) {
  switch (field.kind) {
    case Kind::kId:
      if (is_business_id(s)) return Status::ok();
      return field_error(Code::kInvalidId, field.name,
                         "must be 1 to 64 characters from A-Z a-z 0-9 . _ : -, "
                         "starting with a letter or digit");
    case Kind::kText:
      return check_text(field.name, s);
    case Kind::kDate:
      if (is_business_date(s)) return Status::ok();
      return field_error(Code::kInvalidDate, field.name,
                         "must be a calendar date written YYYY-MM-DD, between " +
                             std::to_string(kDateYearMin) + " and " +
                             std::to_string(kDateYearMax));
    case Kind::kAmount:
    case Kind::kPledgeAmount:
      return parse_amount(s, kMinorUnitsMax).status().under(std::string(field.name));
    case Kind::kUsd:
      return parse_amount(s, kUsdMinorUnits).status().under(std::string(field.name));
    case Kind::kCurrency:
      if (currency_minor_units(s)) return Status::ok();
      return field_error(Code::kInvalidCurrency, field.name,
                         "\"" + std::string(s.substr(0, 16)) + "\" is not an ISO 4217 currency code");
    case Kind::kCountry:
      if (is_country_code(s)) return Status::ok();
      return field_error(Code::kInvalidCountry, field.name,
                         "\"" + std::string(s.substr(0, 16)) +
                             "\" is not an ISO 3166-1 alpha-3 country code");
    case Kind::kRegion:
      if (region_index(s)) return Status::ok();
      return field_error(Code::kInvalidRegion, field.name, "must be one of AFR, APG, EEG, GRULAC, WEOG");
    case Kind::kTokenHash:
      return check_token_hash(field.name, s);
    case Kind::kSeq:
      if (parse_seq(s)) return Status::ok();
      return field_error(Code::kInvalidValue, field.name,
                         "must be an event's seq: a whole number from 1, without leading zeros");
    case Kind::kReversible: {
      const auto type = event_type_from_name(s);
      if (type && is_reversible(*type)) return Status::ok();
      return field_error(Code::kInvalidValue, field.name,
                         "must be contribution.received, pledge.written_off, disbursement.made, "
                         "refund.received or allocation.released");
    }
    case Kind::kDonorKind:
    case Kind::kRole:
    case Kind::kIncomeKind:
    case Kind::kCostKind:
    case Kind::kDecisionKind:
      return check_listed(field, s);
    case Kind::kBasisPoints: {
      const auto seq = parse_seq(s);
      if (s == "0" || (seq && *seq <= kBasisPointsMax)) return Status::ok();
      return field_error(Code::kInvalidValue, field.name,
                         "must be a whole number of basis points (hundredths of a percent) from 0 to 10000");
    }
    case Kind::kCountries:
      if (s.empty()) return field_error(Code::kInvalidValue, field.name, "must name at least one country");
      return country_list(s).status().under(std::string(field.name));
    case Kind::kRegions:
      break;
  }
  FL_CHECK(false);
  return Status::ok();
}

Status check_field(const Field& field, const JsonDoc& doc, std::uint32_t node, DataField& out) {
  out.name = field.name;
  if (field.kind == Kind::kRegions) return check_regions(field.name, doc, node, out);
  if (doc[node].kind != Kind_::kString) {
    return field_error(Code::kInvalidType, field.name, "must be a string");
  }
  FL_RETURN_IF_ERROR(check_value(field, doc[node].text));
  out.value.assign(doc[node].text);
  return Status::ok();
}

// Rewrites the amount field `name` with exactly `minor_units` decimals.
Status normalise_amount(EventData& data, std::string_view name, int minor_units) {
  const Result<std::int64_t> minor = parse_amount(*data.get(name), minor_units);
  if (!minor) return minor.status().under(std::string(name));
  data.set(name, format_amount(*minor, minor_units));
  return Status::ok();
}

// A Board member's term: it ends on or after it begins, a co-chair's
// role lies within it, and a seat is shared with another country.
Status check_term(const EventData& data) {
  const std::string& from = *data.get("from");
  const std::string* to = data.get("to");
  if (to != nullptr && *to < from) return field_error(Code::kInvalidDates, "to", "the term ends before it begins");
  if (const std::string* chair = data.get("co_chair_to")) {
    if (*chair < from || (to != nullptr && *chair > *to)) {
      return field_error(Code::kInvalidDates, "co_chair_to", "a co-chair's role lies within the member's term");
    }
  }
  const std::string* shared = data.get("shared_with");
  if (shared != nullptr && *shared == *data.get("country")) {
    return field_error(Code::kInvalidValue, "shared_with", "a seat is shared with another country than the member's");
  }
  return Status::ok();
}

// Normalises amounts and checks the rules that relate two fields of the
// same event.
Status normalise(EventType type, const TypeSchema& schema, EventData& data) {
  for (const Field& field : schema.fields) {
    if (!data.has(field.name)) continue;
    if (field.kind == Kind::kUsd) {
      FL_RETURN_IF_ERROR(normalise_amount(data, field.name, kUsdMinorUnits));
    } else if (field.kind == Kind::kCountries) {
      data.set(field.name, *country_list(*data.get(field.name)));
    } else if (field.kind == Kind::kAmount) {
      if (!data.has("currency")) {
        return field_error(Code::kMissingField, "currency",
                           std::string(schema.name) + " gives an amount without its \"currency\"");
      }
      const auto units = currency_minor_units(*data.get("currency"));
      FL_CHECK(units.has_value());
      FL_RETURN_IF_ERROR(normalise_amount(data, field.name, *units));
    }
  }
  if (type == EventType::kBoardMemberAppointed) FL_RETURN_IF_ERROR(check_term(data));
  if (type == EventType::kCallOpened && *data.get("closes_on") < *data.get("opened_on")) {
    return field_error(Code::kInvalidDates, "closes_on", "the call closes before it opens");
  }
  if (type == EventType::kContributionReceived && *data.get("currency") == "USD" &&
      *data.get("usd") != *data.get("amount")) {
    return field_error(Code::kUsdMismatch, "usd",
                       "a contribution in USD credits exactly its amount: " + *data.get("amount") +
                           " USD, not " + *data.get("usd"));
  }
  return Status::ok();
}

}  // namespace

bool is_donor_kind(std::string_view kind) {
  return std::find(kDonorKinds.begin(), kDonorKinds.end(), kind) != kDonorKinds.end();
}

std::span<const std::string_view> donor_kinds() { return kDonorKinds; }
std::span<const std::string_view> income_kinds() { return kIncomeKinds; }
std::span<const std::string_view> cost_kinds() { return kCostKinds; }
std::span<const std::string_view> decision_kinds() { return kDecisionKinds; }

std::vector<FieldInfo> data_fields(EventType type) {
  std::vector<FieldInfo> out;
  for (const Field& f : schemas()[static_cast<std::size_t>(type)].fields) {
    out.push_back({f.name, kind_name(f.kind), f.required, f.filled});
  }
  return out;
}

Status validate_data(EventType type, const JsonDoc& doc, std::uint32_t node, EventData& out) {
  if (doc[node].kind != Kind_::kObject) return Status::error(Code::kInvalidType, "data must be an object");
  const TypeSchema& schema = schemas()[static_cast<std::size_t>(type)];
  // Where each field of the schema is in the document, if it is there.
  std::array<std::uint32_t, 16> at{};
  out.reserve(schema.fields.size());
  FL_CHECK(schema.fields.size() <= at.size());
  for (std::uint32_t member : doc.children(node)) {
    const std::string_view key = doc[member].key;
    const auto field = std::find_if(schema.fields.begin(), schema.fields.end(),
                                    [&](const Field& f) { return f.name == key; });
    if (field == schema.fields.end()) {
      return field_error(Code::kUnknownField, key,
                         std::string(schema.name) + " has no field \"" + std::string(key) + "\"");
    }
    at[static_cast<std::size_t>(field - schema.fields.begin())] = member;
  }
  for (std::size_t i = 0; i < schema.fields.size(); ++i) {
    const Field& field = schema.fields[i];
    if (at[i] == 0) {
      if (!field.required) continue;
      return field_error(Code::kMissingField, field.name,
                         std::string(schema.name) + " requires \"" + std::string(field.name) + "\"");
    }
    DataField value;
    FL_RETURN_IF_ERROR(check_field(field, doc, at[i], value));
    out.add(std::move(value));
  }
  return normalise(type, schema, out);
}

std::string_view date_field(EventType type) {
  switch (type) {
    case EventType::kPledgeRecorded: return "pledged_on";
    case EventType::kPledgeWrittenOff: return "written_off_on";
    case EventType::kContributionReceived: return "received_on";
    case EventType::kCallOpened: return "opened_on";
    case EventType::kCallClosed: return "closed_on";
    case EventType::kProposalSubmitted: return "submitted_on";
    case EventType::kProposalApproved:
    case EventType::kProposalRejected: return "decided_on";
    case EventType::kDisbursementMade: return "paid_on";
    case EventType::kRefundReceived: return "received_on";
    case EventType::kAllocationReleased: return "released_on";
    case EventType::kIncomeReceived: return "received_on";
    case EventType::kCostCharged: return "charged_on";
    case EventType::kTermsSet: return "effective_on";
    case EventType::kDisbursementRequested: return "requested_on";
    case EventType::kDisbursementCancelled: return "cancelled_on";
    case EventType::kDecisionRecorded: return "meeting_on";
    case EventType::kBoardMemberAppointed: return "from";
    case EventType::kBoardMemberLeft: return "left_on";
    case EventType::kEntryReversed: return "reversed_on";
    case EventType::kDonorRegistered:
    case EventType::kProgrammeRegistered:
    case EventType::kAccessGranted:
    case EventType::kAccessRevoked: return "";
  }
  return "";
}

std::string_view business_date(EventType type, const DataView& data, std::string_view recorded_at) {
  const std::string_view field = date_field(type);
  return field.empty() ? recorded_at.substr(0, 10) : data.get(field);
}

std::string_view event_type_name(EventType type) {
  return schemas()[static_cast<std::size_t>(type)].name;
}

std::optional<EventType> event_type_from_name(std::string_view name) {
  const auto& all = schemas();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

}  // namespace fundledger
