#pragma once
// Writing the ledger out, each into a directory that must not exist,
// written beside it and renamed into place once whole and synced, so that
// it is complete or absent: an audit bundle of the log as it stands
// (audit/bundle.h), and the fund's records for spreadsheets and IATI
// (domain/exports.h) as the log stood after a seq.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/note.h"
#include "domain/exports.h"
#include "domain/statement.h"
#include "ledger/store.h"
#include "util/status.h"

namespace fundledger {

using ExportProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct WrittenBundle {
  Checkpoint checkpoint;  // the one signed for it, of the whole log
};

// Writes an audit bundle of the log into `out`: events.jsonl (each event's
// stored bytes, one per line), the checkpoint of its size (signed and kept
// as sign_checkpoint does) and verifier.key. `store` must be open for
// writing, with no writer appending. Refusals: those of sign_checkpoint,
// storage_error (`out` cannot be written), store_corrupt (an event cannot
// be read).
Result<WrittenBundle> write_bundle(Store& store, const NoteSigner& signer, const std::filesystem::path& out,
                                   const ExportProgress& progress = nullptr);

struct WrittenFile {
  std::string name;
  std::size_t bytes = 0;
};

// Writes the files of `format` (domain/exports.h) of the log as it stood
// after event `as_of` into `out`; with the CSV files, statement.csv: the
// statement of sources and uses of `statement_period`, or when nullopt of
// the calendar years from the first dated event to the last
// (domain/statement.h). Refusals: invalid_as_of (beyond the head),
// rule_violation (a log out of date order: rests_on_present),
// storage_error, store_corrupt.
Result<std::vector<WrittenFile>> write_records(const StoreReader& reader, ExportFormat format,
                                               const IatiPublisher& publisher, std::uint64_t as_of,
                                               const std::optional<Period>& statement_period,
                                               const std::filesystem::path& out,
                                               const ExportProgress& progress = nullptr);

}  // namespace fundledger
