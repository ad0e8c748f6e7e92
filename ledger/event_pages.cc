#include "ledger/event_pages.h"

#include "domain/event.h"
#include "util/check.h"

namespace fundledger {

Status append_events(const StoreReader& reader, std::uint64_t first, std::uint64_t last, char separator,
                     std::string& out) {
  FL_CHECK(first >= 1 && last <= reader.head().size);
  if (last < first) return Status::ok();
  // A page is a few hundred events: read through the block cache.
  const auto events = reader.cursor(Family::kEvents, seq_key(first), StoreReader::Seek::kPoint);
  const auto hashes = reader.hashes_from(first, StoreReader::Seek::kPoint);
  for (std::uint64_t seq = first; seq <= last; ++seq, events->next(), hashes->next()) {
    const std::size_t before = out.size();
    if (seq != first) out += separator;
    const bool present =
        events->valid() && events->key() == seq_key(seq) && hashes->valid() && hashes->seq() == seq;
    if (!present || !append_event_with_hashes(out, events->value(), hashes->hashes().leaf, hashes->hashes().chain)) {
      out.resize(before);
      FL_RETURN_IF_ERROR(events->status());
      if (hashes->status().code() == Code::kStorageError) return hashes->status();
      return unreadable_event(seq);
    }
  }
  return Status::ok();
}

}  // namespace fundledger
