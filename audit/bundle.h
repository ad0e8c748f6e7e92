#pragma once
// Audit bundles (SPEC 5): what `export --out DIR` writes and `audit BUNDLE`
// checks, with nothing trusted but the verifier key. A bundle is a
// directory of three files:
//
//   events.jsonl  the canonical bytes of events 1..N, one per line
//   checkpoint    the log's signed checkpoint of tree size N
//   verifier.key  the log's verifier key (c2sp.org/signed-note), one line
//
// Checking one needs this code and the canonical-bytes code only: no store.
//
// An auditor who kept an earlier checkpoint, or a whole earlier bundle,
// proves that the log extends it. A checkpoint alone catches a log that
// shrank or whose history changed; an earlier bundle also names the first
// event that changed, comparing leaf hashes, since a root alone cannot say
// where two trees part.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/note.h"
#include "util/failure.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

inline constexpr std::string_view kBundleEvents = "events.jsonl";
inline constexpr std::string_view kBundleCheckpoint = "checkpoint";
inline constexpr std::string_view kBundleVerifierKey = "verifier.key";

// The checks a bundle can fail (Failure::check, util/failure.h):
//   bundle_file           a file of the bundle is missing or unreadable
//   verifier_key          not a verifier key, or not the one trusted
//   checkpoint_signature  the checkpoint does not verify with the key
//   checkpoint_text       the note is not a checkpoint of the key's log
//   line                  a line is empty or the file does not end in one
//   not_canonical         a line is not the RFC 8785 bytes of its JSON
//   seq                   a line's seq is not the one after the last
//   event                 the event is not one the ledger could have appended
//                         (its envelope, its data, the rules), from the caller
//   tree_size             the bundle holds more or fewer events than signed
//   root_hash             the events give another root than the one signed
//   earlier_checkpoint    the earlier checkpoint or bundle given does not
//                         itself verify
//   checkpoint_size       the log is shorter than an earlier checkpoint
//   checkpoint_root       the log's root at an earlier checkpoint's size is
//                         not the one signed then
//   history               an event differs from the earlier bundle's


// An earlier checkpoint an auditor kept, verified; with the leaf hashes of
// its events when it came with them (an earlier bundle).
struct EarlierCheckpoint {
  Checkpoint checkpoint;
  std::vector<Hash> leaves;  // empty for a note alone
};

// Reads an earlier checkpoint: `path` is a file holding a signed note, or
// the directory of an earlier bundle (audited in full, leaves kept). It must
// verify with `verifier`. Refusal: earlier_checkpoint, saying why it cannot
// be used (the earlier bundle's own failure among the reasons).
Result<EarlierCheckpoint> read_earlier_checkpoint(const std::filesystem::path& path, const NoteVerifier& verifier);

// Whether a log of `size` events extends `earlier`: `root_then` is the
// log's root at the earlier size (read only when size >= that size);
// `leaf_at(seq)` is the log's leaf hash of seq, asked only for seqs up to
// min(size, earlier size) and only when the earlier checkpoint came with
// its leaves. nullopt when it does.
std::optional<Failure> check_extends(const EarlierCheckpoint& earlier, std::uint64_t size,
                                          const std::function<Hash()>& root_then,
                                          const std::function<Hash(std::uint64_t)>& leaf_at);

struct BundleReport {
  std::string verifier_key;  // the key the bundle was checked with
  Checkpoint checkpoint;     // the bundle's, once its signature verified
  std::uint64_t events = 0;  // lines checked
  Hash root{};               // of the lines checked
  Hash chain = kZeroHash;    // chain hash of the last line checked
  std::vector<Hash> leaves;  // when asked for (BundleOptions::keep_leaves)
  std::optional<Failure> failure;
  bool ok() const { return !failure.has_value(); }
};

// Called for the events in runs of consecutive seqs, in seq order, once
// their lines are canonical and their seqs follow: the caller's own checks
// and use of them (the views). Returns nullopt to go on, or the failure of
// the first event it refuses (seq set by the caller), which is reported as
// the first failure: the runs are handed over before any later line's
// failure is reported.
using BundleEventHook =
    std::function<std::optional<Failure>(std::uint64_t first_seq, const std::vector<std::string_view>& events)>;

struct BundleOptions {
  // The verifier key the auditor trusts (published by the fund); the
  // bundle's verifier.key must be exactly it. Empty: trust the bundle's.
  std::string trusted_key;
  const EarlierCheckpoint* earlier = nullptr;  // a log this one must extend
  bool keep_leaves = false;
  BundleEventHook on_event;
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;
};

// Checks the bundle at `dir`: the verifier key; the checkpoint's signature,
// key id and origin; then every line of events.jsonl: one canonical event
// per line, seqs 1, 2, 3, ..., its leaf and chain hash, the Merkle root;
// the number of events and the root against the checkpoint; and, given an
// earlier checkpoint, that the log extends it. Stops at the first failure.
BundleReport check_bundle(const std::filesystem::path& dir, const BundleOptions& options);

}  // namespace fundledger
