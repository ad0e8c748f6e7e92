// export --out DIR: the audit bundle (events.jsonl, checkpoint,
// verifier.key); export --format csv|iati --out DIR: the fund's records
// for spreadsheets or IATI (ledger/exports.h). audit BUNDLE: check one
// offline, trusting only the verifier key, and print the views its events
// imply.
//
// audit reads the bundle with audit/ and the canonical-bytes code, and
// replays it through the fund's rules in memory (tools/audit_replay.h); it
// never opens a store.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "audit/audited_view.h"
#include "audit/bundle.h"
#include "audit/checkpoint.h"
#include "ledger/checkpoints.h"
#include "domain/exports.h"
#include "util/files.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "domain/views.h"
#include "tools/audit_replay.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

// --- export --out DIR ----------------------------------------------------------

struct ExportOptions {
  std::string data;
  std::string out;
  std::string format;  // empty: the audit bundle
  std::optional<std::uint64_t> as_of;
  IatiPublisher publisher;
};

// A directory written beside its target (TARGET.partial) and renamed into
// place once whole, so that the target is complete or absent. Removed
// unless committed.
class PartialDirectory {
 public:
  explicit PartialDirectory(const std::filesystem::path& target)
      : target_(target), path_(target.string() + ".partial") {}
  ~PartialDirectory() {
    if (committed_) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  PartialDirectory(const PartialDirectory&) = delete;
  PartialDirectory& operator=(const PartialDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Made afresh (a leftover of a run that stopped is removed first).
  Status create() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
    if (!std::filesystem::create_directories(path_, ec) || ec) {
      return Status::error(Code::kStorageError, "cannot create " + path_.string());
    }
    return Status::ok();
  }

  // Syncs the files' names, then renames the directory into place and
  // syncs that name. `shown` names the target in a refusal.
  Status commit(const std::string& shown) {
    sync_directory(path_);
    std::error_code ec;
    std::filesystem::rename(path_, target_, ec);
    if (ec) {
      return Status::error(Code::kStorageError,
                           "cannot rename " + path_.string() + " to " + shown + ": " + ec.message());
    }
    committed_ = true;
    sync_directory(target_.parent_path());
    return Status::ok();
  }

 private:
  std::filesystem::path target_;
  std::filesystem::path path_;
  bool committed_ = false;
};

// The CSV or IATI files of the log as it stood after event `as_of`, in a
// new directory, written whole or not at all.
int run_records_export(const ExportOptions& o, const std::filesystem::path& out) {
  if (o.format != "csv" && o.format != "iati") {
    return fail(Status::error(Code::kUsage, "--format is csv or iati", "format"));
  }
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  const auto reader = store->reader();
  const std::uint64_t size = o.as_of.value_or(reader->head().size);
  if (const Status within = check_as_of(size, reader->head().size); !within) return fail(within);
  Exporter exporter(o.format == "csv" ? ExportFormat::kCsv : ExportFormat::kIati, o.publisher);
  Progress progress("export");
  const Status read = for_each_event(
      *reader, size, [&exporter](const Event& e) { exporter.add(e); },
      [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  progress.finish();
  if (!read) return fail(read);
  const std::vector<ExportFile> files = exporter.files();

  PartialDirectory partial(out);
  if (const Status made = partial.create(); !made) return fail(made);
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const ExportFile& f : files) {
    if (std::string bad = write_new_file(partial.path() / f.name, f.content); !bad.empty()) {
      return fail(Status::error(Code::kStorageError, bad));
    }
    listed.push_back({{"name", f.name}, {"bytes", f.content.size()}});
  }
  if (const Status committed = partial.commit(o.out); !committed) return fail(committed);
  nlohmann::ordered_json result;
  result["out"] = o.out;
  result["format"] = o.format;
  result["tree_size"] = size;
  result["files"] = std::move(listed);
  print_json(result);
  return kExitOk;
}

int run_export(const ExportOptions& o) {
  std::filesystem::path out = std::filesystem::path(o.out).lexically_normal();
  if (!out.has_filename()) out = out.parent_path();  // "bundle/" names "bundle"
  std::error_code ec;
  if (std::filesystem::exists(out, ec)) {
    return fail(Status::error(Code::kUsage, o.out + " exists; export writes a new directory", "out"));
  }
  if (!o.format.empty()) return run_records_export(o, out);
  if (o.as_of) return fail(Status::error(Code::kUsage, "--as-of goes with --format; a bundle holds the whole log", "as_of"));
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  const std::optional<NoteSigner> signer = read_ledger_key(o.data, *store, exit_code);
  if (!signer) return exit_code;
  // The checkpoint of the log as it stands; nobody appends meanwhile, the
  // store being open here for writing.
  Result<std::string> note = sign_checkpoint(*store, *signer);
  if (!note) return fail(note.status());
  const auto reader = store->reader();
  const std::uint64_t size = reader->head().size;

  // Written beside the target and renamed into place once whole, so that
  // a bundle directory is complete or absent.
  PartialDirectory partial(out);
  if (const Status made = partial.create(); !made) return fail(made);
  auto failed = [](const std::string& what) { return fail(Status::error(Code::kStorageError, what)); };
  if (std::string bad = write_new_file(partial.path() / kBundleVerifierKey, signer->verifier_key() + "\n");
      !bad.empty()) {
    return failed(bad);
  }
  if (std::string bad = write_new_file(partial.path() / kBundleCheckpoint, *note); !bad.empty()) return failed(bad);

  const std::filesystem::path events_path = partial.path() / kBundleEvents;
  std::FILE* f = std::fopen(events_path.c_str(), "wbx");
  if (f == nullptr) return failed("cannot create " + events_path.string());
  Progress progress("export");
  const auto cursor = reader->cursor(Family::kEvents, seq_key(1));
  std::string buffer;
  bool written = true;
  std::uint64_t seq = 1;
  for (; seq <= size && written; ++seq, cursor->next()) {
    if (!cursor->valid() || cursor->key() != seq_key(seq)) break;
    buffer += cursor->value();
    buffer += '\n';
    if (buffer.size() >= (1 << 22)) {
      written = std::fwrite(buffer.data(), 1, buffer.size(), f) == buffer.size();
      buffer.clear();
      progress.update(seq, size);
    }
  }
  written = written && std::fwrite(buffer.data(), 1, buffer.size(), f) == buffer.size() && std::fflush(f) == 0 &&
            ::fsync(fileno(f)) == 0;
  written = std::fclose(f) == 0 && written;
  progress.finish();
  if (seq <= size) {
    if (!cursor->status()) return fail(cursor->status());
    return fail(Status::error(Code::kStoreCorrupt,
                              "event " + std::to_string(seq) + " cannot be read; run `fundledger verify`"));
  }
  if (!written) return failed("cannot write " + events_path.string());
  if (const Status committed = partial.commit(o.out); !committed) return fail(committed);

  Checkpoint stated;
  {
    std::string text;
    FL_CHECK(NoteVerifier::parse(signer->verifier_key())->check(*note, text).empty() &&
             parse_checkpoint(text, stated).empty() && stated.size == size);
  }
  nlohmann::ordered_json result;
  result["out"] = o.out;
  result["tree_size"] = size;
  result["root_hash"] = to_hex(stated.root);
  result["verifier_key"] = signer->verifier_key();
  print_json(result);
  return kExitOk;
}

// --- audit BUNDLE --------------------------------------------------------------

struct AuditOptions {
  std::string bundle;
  std::string key_file;
  std::string checkpoint;
};

void print_failure(const Failure& f) { print_json(failure_json(f)); }

int run_audit(const AuditOptions& o) {
  BundleOptions options;
  if (!o.key_file.empty()) {
    const std::optional<std::string> key = read_key_file(o.key_file);
    if (!key) return fail(Status::error(Code::kUsage, "cannot read a verifier key from " + o.key_file, "key"));
    options.trusted_key = *key;
  }
  EarlierCheckpoint earlier;
  if (!o.checkpoint.empty()) {
    // The earlier checkpoint is checked with the key the bundle is.
    const std::optional<std::string> key =
        options.trusted_key.empty() ? read_key_file(std::filesystem::path(o.bundle) / kBundleVerifierKey)
                                    : options.trusted_key;
    const std::optional<NoteVerifier> verifier = key ? NoteVerifier::parse(*key) : std::nullopt;
    if (verifier) {
      if (std::optional<Failure> f = read_earlier_checkpoint(o.checkpoint, *verifier, earlier)) {
        print_failure(*f);
        return kExitRefused;
      }
      options.earlier = &earlier;
    }
    // Without a readable key, check_bundle reports the key first.
  }
  BundleReplay replay;
  Progress progress("audit");
  options.on_progress = [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  const BundleReport report = audit_bundle(o.bundle, options, replay);
  progress.finish();
  if (!report.ok()) {
    print_failure(*report.failure);
    return kExitRefused;
  }
  const LogHead head{report.events, report.root, report.chain};
  nlohmann::ordered_json out;
  out["ok"] = true;
  out["tree_size"] = report.events;
  out["root_hash"] = to_hex(report.root);
  out["chain_hash"] = to_hex(report.chain);
  out["verifier_key"] = report.verifier_key;
  if (options.earlier != nullptr) {
    out["extends"] = {{"tree_size", earlier.checkpoint.size}, {"root_hash", to_hex(earlier.checkpoint.root)}};
  }
  nlohmann::json views = nlohmann::json::object();
  for (const ViewKind kind :
       {ViewKind::kFund, ViewKind::kDonors, ViewKind::kProgrammes, ViewKind::kCalls, ViewKind::kRegions}) {
    Result<nlohmann::json> view = render_view(replay.state(), kind, "");
    FL_CHECK(view.is_ok());  // list views always render
    views[std::string(view_name(kind))] = unsigned_view(head, std::move(*view));
  }
  out["views"] = std::move(views);
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_audit_commands(CLI::App& app, Action& action) {
  auto e = std::make_shared<ExportOptions>();
  CLI::App* exp = app.add_subcommand(
      "export", "Write an audit bundle of the log as it stands (events.jsonl, checkpoint, verifier.key), or with "
                "--format the fund's records as CSV files or IATI 2.03 XML");
  add_data_option(*exp, e->data);
  exp->add_option("--out", e->out, "The directory to write, which must not exist")->required();
  exp->add_option("--format", e->format,
                  "csv: one file per kind of record; iati: iati-activities.xml and iati-organisation.xml");
  exp->add_option("--as-of", e->as_of, "With --format: the records as the log stood after event SEQ");
  exp->add_option("--iati-org", e->publisher.org_ref,
                  "With --format iati: the publisher's IATI organisation identifier (default XM-DAC-41116)");
  exp->add_option("--iati-org-name", e->publisher.org_name,
                  "With --format iati: the publisher's name (default United Nations Environment Programme)");
  exp->callback([e, &action] { action = [e] { return run_export(*e); }; });

  auto a = std::make_shared<AuditOptions>();
  CLI::App* audit = app.add_subcommand(
      "audit", "Check an audit bundle offline, trusting only its verifier key, and print the views it implies");
  audit->add_option("BUNDLE", a->bundle, "The bundle's directory")->required();
  audit->add_option("--key", a->key_file,
                    "A file holding the verifier key the fund published; the bundle's must be exactly it");
  audit->add_option("--checkpoint", a->checkpoint,
                    "An earlier checkpoint (a file holding the signed note) or an earlier bundle (its directory) "
                    "that the log must extend");
  audit->callback([a, &action] { action = [a] { return run_audit(*a); }; });
}

}  // namespace fundledger::cli
