#include "ledger/export.h"

#include <unistd.h>

#include <cstdio>

#include "audit/bundle.h"
#include "domain/data_view.h"
#include "ledger/checkpoints.h"
#include "ledger/replay.h"
#include "ledger/view_as_of.h"
#include "util/check.h"
#include "util/files.h"

namespace fundledger {
namespace {

// Bytes of events.jsonl gathered before they are written.
constexpr std::size_t kWriteBytes = 4 << 20;

// Writes events 1 to `size` as events.jsonl at `path`, synced.
Status write_events_file(const StoreReader& reader, std::uint64_t size, const std::filesystem::path& path,
                         const ExportProgress& progress) {
  std::FILE* f = std::fopen(path.c_str(), "wbx");
  if (f == nullptr) return Status::error(Code::kStorageError, "cannot create " + path.string());
  const auto cursor = reader.cursor(Family::kEvents, seq_key(1));
  std::string buffer;
  bool written = true;
  std::uint64_t seq = 1;
  for (; seq <= size && written; ++seq, cursor->next()) {
    if (!cursor->valid() || cursor->key() != seq_key(seq)) break;
    buffer += cursor->value();
    buffer += '\n';
    if (buffer.size() >= kWriteBytes) {
      written = std::fwrite(buffer.data(), 1, buffer.size(), f) == buffer.size();
      buffer.clear();
      if (progress) progress(seq, size);
    }
  }
  written = written && std::fwrite(buffer.data(), 1, buffer.size(), f) == buffer.size() && std::fflush(f) == 0 &&
            ::fsync(fileno(f)) == 0;
  written = std::fclose(f) == 0 && written;
  if (seq <= size) {
    FL_RETURN_IF_ERROR(cursor->status());
    return unreadable_event(seq);
  }
  if (!written) return Status::error(Code::kStorageError, "cannot write " + path.string());
  return Status::ok();
}

}  // namespace

Result<WrittenBundle> write_bundle(Store& store, const NoteSigner& signer, const std::filesystem::path& out,
                                   const ExportProgress& progress) {
  // The checkpoint of the log as it stands; nobody appends meanwhile, the
  // store being open here for writing.
  Result<std::string> note = sign_checkpoint(store, signer);
  if (!note) return note.status();
  const Result<Checkpoint> stated = read_checkpoint_note(*note, *NoteVerifier::parse(signer.verifier_key()));
  FL_CHECK_OK(stated.status());
  const auto reader = store.reader();
  FL_CHECK(stated->size == reader->head().size);
  PartialDirectory partial(out);
  FL_RETURN_IF_ERROR(partial.create());
  FL_RETURN_IF_ERROR(write_new_file(partial.path() / kBundleVerifierKey, signer.verifier_key() + "\n"));
  FL_RETURN_IF_ERROR(write_new_file(partial.path() / kBundleCheckpoint, *note));
  FL_RETURN_IF_ERROR(write_events_file(*reader, stated->size, partial.path() / kBundleEvents, progress));
  FL_RETURN_IF_ERROR(partial.commit());
  return WrittenBundle{*stated};
}

Result<std::vector<WrittenFile>> write_records(const StoreReader& reader, ExportFormat format,
                                               const IatiPublisher& publisher, std::uint64_t as_of,
                                               const std::optional<Period>& statement_period,
                                               const std::filesystem::path& out, const ExportProgress& progress) {
  FL_RETURN_IF_ERROR(check_as_of(as_of, reader.head().size));
  Exporter exporter(format, publisher);
  std::optional<StatementBuilder> statement;
  if (format == ExportFormat::kCsv) statement.emplace(statement_period.value_or(whole_log_period()), std::nullopt);
  Status dated;
  FL_RETURN_IF_ERROR(for_each_event(
      reader, as_of,
      [&](const Event& e) {
        exporter.add(e);
        if (statement && dated.is_ok()) dated = statement->add(e.seq, e.type, DataView::of(e.data), e.id, e.recorded_at);
      },
      progress));
  FL_RETURN_IF_ERROR(dated);
  std::vector<ExportFile> files = exporter.files();
  if (statement) {
    std::optional<Period> years = statement_period ? std::nullopt : statement->years_of_events();
    if (years) statement->narrow_to(std::move(*years));
    // A log of no dated event, with no period asked for, has no period to
    // state: the file is its header alone.
    files.push_back({kStatementCsvFile, statement_period || years ? statement_csv(statement->render())
                                                                  : std::string(kStatementCsvHeader)});
  }
  PartialDirectory partial(out);
  FL_RETURN_IF_ERROR(partial.create());
  std::vector<WrittenFile> written;
  for (const ExportFile& f : files) {
    FL_RETURN_IF_ERROR(write_new_file(partial.path() / f.name, f.content));
    written.push_back({f.name, f.content.size()});
  }
  FL_RETURN_IF_ERROR(partial.commit());
  return written;
}

}  // namespace fundledger
