#pragma once
// Views of the ledger as it stood after any event (SPEC 3): the fund as of
// that seq, rendered, with the log position it stands at.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/views.h"
#include "ledger/store.h"
#include "util/status.h"

namespace fundledger {

// Refuses, with invalid_as_of (field "as_of"), a seq beyond a log of
// `head` events: what a view or an export as of it cannot show.
Status check_as_of(std::uint64_t as_of, std::uint64_t head);

// A view of the ledger `reader` reads, as of event `as_of` (its head when
// nullopt), with the log position it stands at, unsigned (SPEC 3):
//   {"as_of":{"chain_hash","root_hash","tree_size"},"view":{...}}
// Refusals: invalid_as_of (beyond the head), not_found, and those of
// state_as_of.
Result<nlohmann::json> view_as_of(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                  std::string_view id, std::optional<std::uint64_t> as_of);

// The as_of block of a view of the ledger as of event `seq`.
Result<nlohmann::json> as_of_block(const StoreReader& reader, std::uint64_t seq);

}  // namespace fundledger
