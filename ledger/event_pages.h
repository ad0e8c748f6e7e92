#pragma once
// Events read back with their hashes, as `fundledger events` prints them
// and GET /v1/events serves them: each event's stored canonical bytes with
// "chain_hash" and "leaf_hash" added in their places among its members.

#include <cstdint>
#include <string>

#include "ledger/store.h"
#include "util/status.h"

namespace fundledger {

// Appends events `first` to `last` (1 <= first, last <= the reader's head;
// none when last < first) to `out`, each followed by `separator` but the
// last. Refusals: store_corrupt (an event or its hashes cannot be read; the
// message names its seq and says to run verify), storage_error. On a
// refusal `out` holds the events before the one that failed.
Status append_events(const StoreReader& reader, std::uint64_t first, std::uint64_t last, char separator,
                     std::string& out);

}  // namespace fundledger
