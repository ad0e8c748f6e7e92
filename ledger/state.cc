#include "ledger/state.h"

#include "ledger/check.h"
#include "ledger/iso_codes.h"

namespace fundledger {

Status LedgerState::load(const StoreReader& reader) {
  pledge_minor_units_.clear();
  journal_.clear();
  const std::uint64_t size = reader.head().size;
  Status failed;
  FL_RETURN_IF_ERROR(reader.scan(
      Family::kEvents, seq_key(1), [&](std::string_view key, std::string_view value) {
        const auto seq = seq_from_key(key);
        if (!seq || *seq > size) return false;
        // Only pledges matter here; the envelope says which events are.
        const std::optional<Envelope> envelope = read_envelope(value);
        if (envelope && envelope->type != EventType::kPledgeRecorded) return true;
        Result<Event> event = decode_event(value);
        if (!event) {
          failed = Status::error("store_corrupt", "event " + std::to_string(*seq) +
                                                      " cannot be read: " +
                                                      event.status().to_string());
          return false;
        }
        apply(Draft{event->id, event->type, std::move(event->data), {}});
        return true;
      }));
  commit();
  return failed;
}

Status LedgerState::prepare(Draft& draft) const {
  if (draft.type != EventType::kPledgeWrittenOff) return Status::ok();
  const std::string& pledge = *draft.data.get("pledge");
  const auto it = pledge_minor_units_.find(pledge);
  if (it == pledge_minor_units_.end()) {
    return Status::error("unknown_pledge", "there is no pledge \"" + pledge + "\"", "data.pledge");
  }
  return normalise_written_off_amount(draft, it->second);
}

void LedgerState::apply(const Draft& draft) {
  if (draft.type != EventType::kPledgeRecorded) return;
  const std::string& pledge = *draft.data.get("pledge");
  const auto units = currency_minor_units(*draft.data.get("currency"));
  FL_CHECK(units.has_value());
  if (pledge_minor_units_.emplace(pledge, *units).second) journal_.push_back(pledge);
}

void LedgerState::rollback(std::size_t mark) {
  FL_CHECK(mark <= journal_.size());
  while (journal_.size() > mark) {
    pledge_minor_units_.erase(journal_.back());
    journal_.pop_back();
  }
}

}  // namespace fundledger
