// An entry.reversed event is completed by the writer with the facts of the
// event it reverses, so that the log says on its own what was taken back:
// the client names the seq, the date and the reason, and may restate the
// facts, which must then be the original's.

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "domain/formats.h"
#include "domain/schema.h"
#include "domain/state.h"
#include "util/check.h"

namespace fundledger {
namespace {

Status mismatch(std::string message, std::string_view field) {
  return Status::error(Code::kReversalMismatch, std::move(message), "data." + std::string(field));
}

// A reversal dated before the event it reverses would stand in a view as of
// a day without it.
Status check_reversal_date(const std::string& event, const DataView& reversal, EventType type,
                           const DataView& original) {
  const std::string_view on = business_date(type, original, "");
  if (reversal.get("reversed_on") >= on) return Status::ok();
  return Status::error(Code::kInvalidDates,
                       "reversed_on " + std::string(reversal.get("reversed_on")) + " is before " + event +
                           " happened, on " + std::string(on),
                       "data.reversed_on");
}

}  // namespace

std::span<const std::string_view> reversal_facts(EventType reversed) {
  static constexpr std::array<std::string_view, 5> kContribution = {"amount", "contribution", "currency",
                                                                    "donor", "usd"};
  static constexpr std::array<std::string_view, 4> kWriteOff = {"amount", "currency", "donor", "pledge"};
  static constexpr std::array<std::string_view, 3> kDisbursement = {"amount_usd", "disbursement", "proposal"};
  static constexpr std::array<std::string_view, 3> kRefund = {"amount_usd", "proposal", "refund"};
  static constexpr std::array<std::string_view, 2> kRelease = {"amount_usd", "proposal"};
  switch (reversed) {
    case EventType::kContributionReceived: return kContribution;
    case EventType::kPledgeWrittenOff: return kWriteOff;
    case EventType::kDisbursementMade: return kDisbursement;
    case EventType::kRefundReceived: return kRefund;
    case EventType::kAllocationReleased: return kRelease;
    default: return {};
  }
}

Status FundState::complete_reversal(Draft& draft, std::uint64_t seq, EventType type,
                                    const DataView& original) const {
  FL_CHECK(draft.type == EventType::kEntryReversed);
  const std::string event = "event " + std::to_string(seq);
  if (!is_reversible(type)) {
    return Status::error(Code::kNotReversible,
                         event + " is " + with_article(event_type_name(type)) +
                             ", which cannot be reversed: only contributions, write-offs, disbursements, "
                             "refunds and releases can",
                         "data.seq");
  }
  // The facts, by field name.
  std::vector<std::pair<std::string_view, std::string>> facts;
  facts.emplace_back("reverses", event_type_name(type));
  for (std::string_view field : reversal_facts(type)) {
    if (original.has(field)) facts.emplace_back(field, original.get(field));
  }
  if (type == EventType::kContributionReceived) {
    for (const std::string_view optional : {"admin_fee_usd", "pledge"}) {
      if (original.has(optional)) facts.emplace_back(optional, original.get(optional));
    }
  }
  if (type == EventType::kPledgeWrittenOff) {
    // The write-off names its pledge alone; the pledge gives its donor and
    // currency.
    const std::string_view owner = pledge_owner(original.get("pledge"));
    const Donor* giver = donor(owner);
    FL_CHECK(giver != nullptr);
    const Pledge* p = giver->pledge(original.get("pledge"));
    FL_CHECK(p != nullptr);
    facts.emplace_back("currency", p->currency);
    facts.emplace_back("donor", owner);
  }
  const auto fact = [&](std::string_view name) -> const std::string* {
    for (const auto& [n, v] : facts) {
      if (n == name) return &v;
    }
    return nullptr;
  };
  EventData completed;
  for (const FieldInfo& field : data_fields(EventType::kEntryReversed)) {
    const std::string* sent = draft.data.get(field.name);
    if (!field.filled) {
      if (sent != nullptr) completed.add({field.name, *sent, {}, false});
      continue;
    }
    const std::string* kept = fact(field.name);
    if (sent != nullptr && kept == nullptr) {
      return mismatch(event + " (" + std::string(event_type_name(type)) + ") has no " +
                          std::string(field.name),
                      field.name);
    }
    if (sent != nullptr && *sent != *kept) {
      return mismatch(event + "'s " + std::string(field.name) + " is " + *kept + ", not " + *sent,
                      field.name);
    }
    if (kept != nullptr) completed.add({field.name, *kept, {}, false});
  }
  FL_RETURN_IF_ERROR(check_reversal_date(event, DataView::of(completed), type, original));
  draft.data = std::move(completed);
  draft.data_bytes.clear();
  draft.data.append_canonical(draft.data_bytes);
  return Status::ok();
}

Status check_reversal_facts(std::uint64_t seq, const DataView& reversal, EventType type,
                           const DataView& original) {
  const std::string event = "event " + std::to_string(seq);
  if (!is_reversible(type) || reversal.get("reverses") != event_type_name(type)) {
    return mismatch("the reversal names " + with_article(reversal.get("reverses")) + ", but " + event + " is " +
                        with_article(event_type_name(type)),
                    "reverses");
  }
  for (std::string_view field : reversal_facts(type)) {
    // A write-off's currency and donor are its pledge's, which the rules
    // check against the fund.
    if (type == EventType::kPledgeWrittenOff && (field == "currency" || field == "donor")) continue;
    if (reversal.get(field) != original.get(field)) {
      return mismatch("the reversal's " + std::string(field) + " is " + std::string(reversal.get(field)) + ", " +
                          event + "'s " + std::string(original.get(field)),
                      field);
    }
  }
  if (type == EventType::kContributionReceived) {
    for (const std::string_view optional : {"admin_fee_usd", "pledge"}) {
      if (reversal.has(optional) != original.has(optional) || reversal.get(optional) != original.get(optional)) {
        return mismatch("the reversal's " + std::string(optional) + " is not " + event + "'s", optional);
      }
    }
  }
  // And no fact the original does not have.
  const std::span<const std::string_view> facts = reversal_facts(type);
  for (const FieldInfo& field : data_fields(EventType::kEntryReversed)) {
    const bool copied =
        field.name == "reverses" || std::find(facts.begin(), facts.end(), field.name) != facts.end() ||
        (type == EventType::kContributionReceived && (field.name == "pledge" || field.name == "admin_fee_usd"));
    if (field.filled && !copied && reversal.has(field.name)) {
      return mismatch(event + " (" + std::string(event_type_name(type)) + ") has no " + std::string(field.name),
                      field.name);
    }
  }
  return check_reversal_date(event, reversal, type, original);
}

}  // namespace fundledger
