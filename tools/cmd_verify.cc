// verify: recompute every hash of the stored log, the Merkle tree and the
// checkpoints kept, and name the first event that is not what was
// appended; with --checkpoint, prove that the log extends a checkpoint (or
// a bundle) kept elsewhere.

#include <filesystem>
#include <memory>
#include <string>

#include "audit/bundle.h"
#include "ledger/checkpoints.h"
#include "ledger/replay.h"
#include "ledger/tree.h"
#include "ledger/verify.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct VerifyOptions {
  std::string data;
  std::string key_file;    // the verifier key trusted; default the ledger's
  std::string checkpoint;  // an earlier note or bundle the log must extend
};

int print_failure(const Failure& f, std::uint64_t size) {
  nlohmann::ordered_json out = failure_json(f);
  out["tree_size"] = size;
  print_json(out);
  return kExitRefused;
}

// Whether the log extends the checkpoint or bundle at `path`: nullopt
// when it does, the failure otherwise.
Result<std::optional<Failure>> check_earlier(const StoreReader& reader, const std::filesystem::path& path,
                                                   const NoteVerifier& verifier, EarlierCheckpoint& earlier) {
  auto as_verify = [](Failure f) {
    return std::optional<Failure>(
        Failure{f.seq, std::move(f.check), std::move(f.message), std::move(f.expected), std::move(f.found)});
  };
  if (std::optional<Failure> f = read_earlier_checkpoint(path, verifier, earlier)) return as_verify(*f);
  const std::uint64_t size = reader.head().size;
  const StoredTree tree(reader);
  Status read;
  // Leaves are asked for in seq order from 1: read them with one cursor.
  std::unique_ptr<HashesCursor> cursor;
  const std::optional<Failure> f = check_extends(
      earlier, size,
      [&] {
        const std::optional<Hash> root = tree_root(tree, earlier.checkpoint.size);
        if (!root && read.is_ok()) read = tree.status();
        return root.value_or(Hash{});
      },
      [&](std::uint64_t seq) {
        if (!cursor) cursor = reader.hashes_from(seq);
        if (!cursor->valid() || cursor->seq() != seq) {
          if (read.is_ok()) read = Status::error(Code::kStoreCorrupt, "the hashes of event " + std::to_string(seq) + " cannot be read");
          return Hash{};
        }
        const Hash leaf = cursor->hashes().leaf;
        cursor->next();
        return leaf;
      });
  FL_RETURN_IF_ERROR(read);
  if (f) return as_verify(*f);
  return std::optional<Failure>();
}

int run_verify(const VerifyOptions& o) {
  // The key first: a mistake in how verify was called is reported before
  // a long pass over the log.
  const std::filesystem::path key_path =
      o.key_file.empty() ? std::filesystem::path(o.data) / kVerifierKeyFile : std::filesystem::path(o.key_file);
  const std::optional<std::string> key = read_key_file(key_path);
  const std::optional<NoteVerifier> verifier = key ? NoteVerifier::parse(*key) : std::nullopt;
  if (!verifier && !o.key_file.empty()) {
    return fail(Status::error(Code::kUsage, "no verifier key in " + o.key_file, "key"));
  }
  int exit_code = kExitOk;
  // Read-only, and without the open-time head check: a damaged head is
  // exactly what verify is there to describe.
  const auto store = open_store(o.data, OpenOptions{.read_only = true, .check_head = false},
                                exit_code);
  if (!store) return exit_code;
  auto no_key = [&key_path] {
    return fail(Status::error(Code::kNoSigningKey, "no verifier key in " + key_path.string() +
                                                    "; give the one the fund published with --key FILE"));
  };
  if (!verifier && !o.checkpoint.empty()) return no_key();
  const auto reader = store->reader();
  // Each verified chunk's blocks of the Merkle tree are hashed on the
  // worker that verified it.
  RecomputedTree tree(reader->head().size);
  Progress progress("verify");
  VerifyHooks hooks;
  hooks.on_chunk = [&tree](std::uint64_t first_seq, const std::vector<Hash>& leaves) {
    tree.add_chunk(first_seq, leaves);
  };
  hooks.on_progress = [&progress](std::uint64_t done, std::uint64_t total) {
    progress.update(done, total);
  };
  Result<VerifyReport> report = verify_log(*store, hooks);
  progress.finish();
  if (!report) return fail(report.status());
  if (!report->ok()) return print_failure(*report->failure, report->size);
  FL_CHECK(report->size == reader->head().size);

  // The stored tree, then every checkpoint the ledger kept, read through it.
  Result<std::optional<Failure>> bad = tree.compare_stored(*reader);
  if (!bad) return fail(bad.status());
  if (*bad) return print_failure(**bad, report->size);
  std::uint64_t kept = 0;
  if (verifier) {
    bad = verify_kept_checkpoints(*reader, *verifier, kept);
    if (!bad) return fail(bad.status());
    if (*bad) return print_failure(**bad, report->size);
  } else {
    // A ledger without its verifier key can still be checked, unless it
    // kept checkpoints, which need the key.
    Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(*reader);
    if (!latest) return fail(latest.status());
    if (latest->has_value()) return no_key();
  }
  EarlierCheckpoint earlier;
  if (!o.checkpoint.empty()) {
    bad = check_earlier(*reader, o.checkpoint, *verifier, earlier);
    if (!bad) return fail(bad.status());
    if (*bad) return print_failure(**bad, report->size);
  }

  // The log is what was appended; now the projection must be what the log
  // gives, and every event must pass the rules.
  Progress replay_progress("verify: replay");
  report = verify_projection(*store, [&replay_progress](std::uint64_t done, std::uint64_t total) {
    replay_progress.update(done, total);
  });
  replay_progress.finish();
  if (!report) return fail(report.status());
  if (!report->ok()) return print_failure(*report->failure, report->size);

  nlohmann::ordered_json out;
  out["ok"] = true;
  out["tree_size"] = report->size;
  out["root_hash"] = to_hex(tree.root());
  out["chain_hash"] = to_hex(report->chain);
  out["checkpoints_kept"] = kept;
  if (!o.checkpoint.empty()) {
    out["extends"] = {{"tree_size", earlier.checkpoint.size}, {"root_hash", to_hex(earlier.checkpoint.root)}};
  }
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_verify_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* c = app.add_subcommand(
      "verify", "Recompute every hash of the log, its tree and checkpoints, and name the first event that is wrong");
  add_data_option(*c, o->data);
  c->add_option("--checkpoint", o->checkpoint,
                "An earlier checkpoint (a file holding the signed note) or an earlier audit bundle (its directory) "
                "that the log must extend");
  c->add_option("--key", o->key_file,
                "A file holding the verifier key to trust (default: the ledger's verifier.key)");
  c->callback([o, &action] { action = [o] { return run_verify(*o); }; });
}

}  // namespace fundledger::cli
