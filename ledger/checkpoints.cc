#include "ledger/checkpoints.h"

#include <algorithm>

#include "audit/checkpoint.h"
#include "audit/proof.h"
#include "ledger/tree.h"

namespace fundledger {
namespace {

constexpr std::string_view kPrefix = "checkpoint";

}  // namespace

std::string checkpoint_key(std::uint64_t tree_size) { return std::string(kPrefix) + seq_key(tree_size); }

Result<std::optional<std::pair<std::uint64_t, std::string>>> latest_checkpoint(const StoreReader& reader) {
  auto last = reader.last_with_prefix(Family::kMeta, kPrefix);
  if (!last) return last.status();
  if (!last->has_value()) return std::optional<std::pair<std::uint64_t, std::string>>();
  const std::optional<std::uint64_t> size = seq_from_key(std::string_view((*last)->first).substr(kPrefix.size()));
  if (!size) return Status::error(Code::kStoreCorrupt, "a kept checkpoint's key is damaged");
  return std::optional<std::pair<std::uint64_t, std::string>>(std::pair(*size, std::move((*last)->second)));
}

Result<std::string> sign_checkpoint(Store& store, const NoteSigner& signer) {
  FL_RETURN_IF_ERROR(backfill_tree(store));  // a ledger made before the tree was stored
  const auto reader = store.reader();
  const std::uint64_t size = reader->head().size;
  const StoredTree tree(*reader);
  const std::optional<Hash> root = tree_root(tree, size);
  if (!root) return tree.status();

  Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(*reader);
  if (!latest) return latest.status();
  if (latest->has_value()) {
    const auto& [signed_size, note] = **latest;
    const std::optional<NoteVerifier> verifier = NoteVerifier::parse(signer.verifier_key());
    const Result<Checkpoint> before = verifier ? read_checkpoint_note(note, *verifier)
                                               : Result<Checkpoint>(Status::error(Code::kNoSigningKey, "no key"));
    if (!before || before->size != signed_size) {
      return Status::error(Code::kStoreCorrupt, "the checkpoint kept for tree size " + std::to_string(signed_size) +
                                                " does not verify with the log's key");
    }
    if (signed_size > size) {
      return Status::error(Code::kInconsistentCheckpoint, "the log holds " + std::to_string(size) +
                                                          " events, fewer than the " + std::to_string(signed_size) +
                                                          " of the checkpoint it signed");
    }
    const std::optional<Hash> then = tree_root(tree, signed_size);
    const std::optional<std::vector<Hash>> proof = consistency_proof(tree, signed_size, size);
    if (!then || !proof) return tree.status();
    if (*then != before->root || !check_consistency(signed_size, size, before->root, *root, *proof)) {
      return Status::error(Code::kInconsistentCheckpoint,
                           "the log no longer holds the tree of the checkpoint signed at size " +
                               std::to_string(signed_size) + ": its root was " + to_hex(before->root) +
                               ", the log gives " + to_hex(*then));
    }
    if (signed_size == size) return note;
  }
  const std::string note = signer.sign(checkpoint_text(Checkpoint{store.origin(), size, *root, {}}));
  StoreBatch batch(store);
  batch.put(Family::kMeta, checkpoint_key(size), note);
  FL_RETURN_IF_ERROR(store.write(batch, store.head()));
  return note;
}

Status add_cosignatures(Store& store, std::uint64_t tree_size, std::string_view lines) {
  Result<std::optional<std::string>> kept = store.reader()->get(Family::kMeta, checkpoint_key(tree_size));
  if (!kept) return kept.status();
  if (!kept->has_value()) {
    return Status::error(Code::kNotFound, "no checkpoint is kept at tree size " + std::to_string(tree_size));
  }
  Result<SplitNote> note = split_note(**kept);
  Result<SplitNote> added = split_note(note ? note->body + "\n" + std::string(lines) : std::string());
  if (!note || !added) return Status::error(Code::kStoreCorrupt, "the checkpoint kept at " + std::to_string(tree_size) + " is not a note");
  // One line a key: a witness that cosigns the same checkpoint again (after
  // the server restarts) replaces its line, so the note never grows past
  // one line a witness.
  bool changed = false;
  for (NoteSignatureLine& line : added->signatures) {
    const auto same = std::find_if(note->signatures.begin(), note->signatures.end(), [&](const NoteSignatureLine& l) {
      return l.name == line.name && l.key_id == line.key_id;
    });
    if (same == note->signatures.end()) {
      note->signatures.push_back(std::move(line));
    } else if (same->signature != line.signature) {
      *same = std::move(line);
    } else {
      continue;
    }
    changed = true;
  }
  if (!changed) return Status::ok();
  std::string text = note->body + "\n";
  for (const NoteSignatureLine& l : note->signatures) text += note_signature_line(l.name, l.key_id, l.signature);
  StoreBatch batch(store);
  batch.put(Family::kMeta, checkpoint_key(tree_size), text);
  return store.write(batch, store.head());
}

Result<KeptCheckpoints> verify_kept_checkpoints(const StoreReader& reader, const NoteVerifier& verifier) {
  KeptCheckpoints kept;
  std::optional<Failure>& bad = kept.failure;
  const std::uint64_t head = reader.head().size;
  const StoredTree tree(reader);
  std::uint64_t last_good = 0;  // the largest size whose checkpoint matches the log
  Status read;
  FL_RETURN_IF_ERROR(reader.scan(Family::kMeta, kPrefix, [&](std::string_view key, std::string_view note) {
    if (!key.starts_with(kPrefix)) return false;
    const std::optional<std::uint64_t> size = seq_from_key(key.substr(kPrefix.size()));
    const Result<Checkpoint> read_note =
        size ? read_checkpoint_note(note, verifier)
             : Result<Checkpoint>(Status::error(Code::kMalformedKey, "its key is damaged"));
    std::string why = read_note ? "" : read_note.status().message();
    if (read_note && read_note->size != *size) why = "it states another size than it is kept under";
    if (!why.empty()) {
      bad = Failure(0, Code::kCheckpointSignature,
                    "a kept checkpoint does not verify with " + verifier.name() + "'s key: " + why);
      return false;
    }
    const Checkpoint& c = *read_note;
    ++kept.count;
    if (c.size > head) {
      bad = Failure{head + 1, Code::kCheckpointSize,
                          "the log holds " + std::to_string(head) + " events, fewer than the " +
                              std::to_string(c.size) + " of a checkpoint it signed: it shrank",
                          std::to_string(c.size), std::to_string(head)};
      return false;
    }
    const std::optional<Hash> root = tree_root(tree, c.size);
    if (!root) {
      read = tree.status();
      return false;
    }
    if (*root != c.root) {
      bad = Failure{0, Code::kCheckpointRoot,
                          "the log's first " + std::to_string(c.size) +
                              " events are not those of the checkpoint signed at that size: an event from seq " +
                              std::to_string(last_good + 1) + " to " + std::to_string(c.size) + " changed",
                          to_hex(c.root), to_hex(*root)};
      return false;
    }
    last_good = c.size;
    return true;
  }));
  FL_RETURN_IF_ERROR(read);
  return kept;
}

}  // namespace fundledger
