#pragma once
// Views of the ledger as it stood after any event (SPEC 3): the fund as of
// that seq, rendered, with the log position it stands at.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/statement.h"
#include "domain/views.h"
#include "ledger/replay.h"
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

// The same as of day `day` (YYYY-MM-DD): the view of the events of the log
// up to `as_of` whose business date is on or before that day
// (in_view_of_day), so that an entry recorded late stands in its period.
// Its as_of block names the day too: {"chain_hash","date","root_hash",
// "tree_size"}. Refusals: invalid_as_of, invalid_date (field as_of_date),
// not_found, store_corrupt, storage_error.
Result<nlohmann::json> view_as_of_date(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                       std::string_view id, std::optional<std::uint64_t> as_of,
                                       std::string_view day);

// The statement of sources and uses for `period`, of the events of the log
// up to `as_of` (domain/statement.h), listing the period's events recorded
// after `recorded_after` when given, with the log position it stands at,
// unsigned: {"as_of":{...},"view":{...}}. Refusals: invalid_as_of (either
// seq beyond the head), store_corrupt, storage_error.
Result<nlohmann::json> statement_as_of(const StoreReader& reader, const Period& period,
                                       std::optional<std::uint64_t> as_of,
                                       std::optional<std::uint64_t> recorded_after,
                                       const ProgressFn& progress = nullptr);

// The as_of block of a view of the ledger as of event `seq`.
Result<nlohmann::json> as_of_block(const StoreReader& reader, std::uint64_t seq);

}  // namespace fundledger
