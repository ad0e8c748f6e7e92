#pragma once
// The checkpoints the ledger signs (SPEC section 4): every one kept, in the
// meta family under "checkpoint" and the 8-byte big-endian tree size, as
// the signed note; and never one inconsistent with those before it.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "audit/note.h"
#include "ledger/store.h"
#include "util/failure.h"
#include "util/status.h"

namespace fundledger {

std::string checkpoint_key(std::uint64_t tree_size);

// The latest checkpoint kept: its tree size and its note; nullopt when the
// ledger has signed none.
Result<std::optional<std::pair<std::uint64_t, std::string>>> latest_checkpoint(const StoreReader& reader);

// Signs a checkpoint of the log as it stands and keeps it, after checking
// that the log still holds the tree of the latest checkpoint kept (its
// root, recomputed through the stored tree, and a consistency proof from
// it to now). When the log has not grown since, returns that checkpoint
// instead of signing another. Refusals: inconsistent_checkpoint (the log
// no longer extends what was signed), store_corrupt, storage_error.
// Needs the store open for writing and no writer appending.
Result<std::string> sign_checkpoint(Store& store, const NoteSigner& signer);

// Adds to the checkpoint kept at `tree_size` the signature lines of
// `lines` (witnesses' cosignatures, checked by the caller), so that it is
// served and exported with them; other keys' signatures leave it
// verifying with the log's key. A line of a key the note already carries
// replaces that key's line: one line a key. Refusals: not_found (no
// checkpoint kept at that size), store_corrupt, storage_error. Needs the
// store open for writing and no writer appending.
Status add_cosignatures(Store& store, std::uint64_t tree_size, std::string_view lines);

// Checks every checkpoint kept against the log: each verifies with
// `verifier`, states the size it is kept under, and gives the root the log
// has at that size (through the stored tree, which the caller has
// checked). Failures: checkpoint_signature (seq 0), checkpoint_size (the
// log is shorter: seq is the first one missing), checkpoint_root (seq 0;
// the message bounds where the log changed by the checkpoints that still
// match). A storage error is the Status.
struct KeptCheckpoints {
  std::uint64_t count = 0;  // checked, up to the failure
  std::optional<Failure> failure;
};
Result<KeptCheckpoints> verify_kept_checkpoints(const StoreReader& reader, const NoteVerifier& verifier);

}  // namespace fundledger
