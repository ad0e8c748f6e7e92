#pragma once
// `fundledger verify`, whole: the stored log (ledger/verify_log.h), the
// Merkle tree kept in the store, every checkpoint the ledger kept, an
// earlier checkpoint or bundle the log must extend, and the projection
// replayed from the events, in that order, stopping at the first failure.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include "audit/bundle.h"
#include "audit/note.h"
#include "audit/policy.h"
#include "domain/statement.h"
#include "ledger/store.h"
#include "ledger/verify_log.h"
#include "util/failure.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

struct VerifyOptions {
  // The key the checkpoints kept (and an earlier one) must verify with. A
  // ledger that kept no checkpoint can be verified without one.
  std::optional<NoteVerifier> verifier;
  // An earlier checkpoint (a file holding the signed note) or bundle (its
  // directory) that the log must extend; empty for none.
  std::filesystem::path earlier;
  // A policy (audit/policy.h): the latest checkpoint kept, and an earlier
  // one given as a note, must carry cosignatures that meet its quorum.
  std::optional<Policy> policy;
  // Progress of the pass over the log and of the replay, from the calling
  // thread.
  std::function<void(std::uint64_t done, std::uint64_t total)> on_log_progress;
  std::function<void(std::uint64_t done, std::uint64_t total)> on_replay_progress;
};

// The statement of sources and uses of the whole log (domain/statement.h),
// from the first business date of its events to the last, as verify's
// replay builds it beside the fund and checks that it ties.
struct LogStatement {
  std::string from, to;  // "" for a log of no dated event
  StatementFigures figures;
};

struct ProjectionReport : VerifyReport {
  std::optional<LogStatement> statement;  // when the replay went through
};

struct LedgerReport {
  std::uint64_t size = 0;  // the head's size
  Hash root{};             // the Merkle root recomputed from the leaves
  Hash chain = kZeroHash;  // the head's chain hash, recomputed
  std::uint64_t checkpoints_kept = 0;
  std::optional<Checkpoint> extends;  // the earlier checkpoint, when it was given and the log extends it
  std::optional<QuorumReport> quorum;  // the latest checkpoint's cosigners, under a policy
  std::optional<Failure> failure;     // the first check that failed
  std::optional<LogStatement> statement;
  bool ok() const { return !failure.has_value(); }
};

// Verifies the ledger `store` holds (open read-only, without the head
// check, so that a damaged head is reported, not refused). Failures are the
// checks of verify_log, RecomputedTree::compare_stored,
// verify_kept_checkpoints, check_extends, the policy's quorum (quorum, or
// policy when the policy names no log of the ledger's origin) and
// verify_projection. Refusals:
// no_signing_key (checkpoints were kept, or an earlier one is given, but
// there is no verifier), storage_error, store_corrupt.
Result<LedgerReport> verify_ledger(const Store& store, const VerifyOptions& options);

// Replays the log into a fresh fund and checks, after every event, the
// rules (an event they refuse: rule_violation) and the fund's invariants
// (invariant_broken, the cash identity among them), and at every stored
// snapshot that its records are the replay's (projection_mismatch), and
// that no record is stored outside a snapshot (projection_mismatch); the
// index of business ids (business_index_mismatch); and that the statement
// of the whole log, built by business date, ties (StatementBuilder::check:
// invariant_broken). A storage error is the Status; a failed check is a
// report with a failure.
Result<ProjectionReport> verify_projection(const Store& store,
                                       const std::function<void(std::uint64_t, std::uint64_t)>& progress = nullptr);

}  // namespace fundledger
