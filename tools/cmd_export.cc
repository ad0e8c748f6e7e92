// export --out DIR: the audit bundle (events.jsonl, checkpoint,
// verifier.key); export --format csv|iati --out DIR: the fund's records
// for spreadsheets or IATI, with --format csv the statement of sources and
// uses of a period beside them. The work is ledger/export.h's.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "ledger/export.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct ExportOptions {
  std::string data;
  std::string out;
  std::string format;  // empty: the audit bundle
  std::optional<std::uint64_t> as_of;
  PeriodOptions statement;  // statement.csv's period; by default the years of the log's events
  IatiPublisher publisher;
};

int run_records_export(const ExportOptions& o, const std::filesystem::path& out) {
  if (o.format != "csv" && o.format != "iati") {
    return fail(Status::error(Code::kUsage, "--format is csv or iati", "format"));
  }
  std::optional<Period> period;
  if (o.statement.given()) {
    if (o.format != "csv") {
      return fail(Status::error(Code::kUsage, "--period, --from and --to go with --format csv", "period"));
    }
    Result<Period> asked = o.statement.period();
    if (!asked) return fail(asked.status());
    period = std::move(*asked);
  }
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  const auto reader = store->reader();
  const std::uint64_t size = o.as_of.value_or(reader->head().size);
  Progress progress("export");
  const Result<std::vector<WrittenFile>> files =
      write_records(*reader, o.format == "csv" ? ExportFormat::kCsv : ExportFormat::kIati, o.publisher, size,
                    period, out, [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  progress.finish();
  if (!files) return fail(files.status());
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const WrittenFile& f : *files) listed.push_back({{"name", f.name}, {"bytes", f.bytes}});
  nlohmann::ordered_json result;
  result["out"] = o.out;
  result["format"] = o.format;
  result["tree_size"] = size;
  result["files"] = std::move(listed);
  print_json(result);
  return kExitOk;
}

int run_bundle_export(const ExportOptions& o, const std::filesystem::path& out) {
  if (o.as_of) {
    return fail(Status::error(Code::kUsage, "--as-of goes with --format; a bundle holds the whole log", "as_of"));
  }
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  const std::optional<NoteSigner> signer = ledger_key(o.data, *store, exit_code);
  if (!signer) return exit_code;
  Progress progress("export");
  const Result<WrittenBundle> bundle = write_bundle(
      *store, *signer, out, [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  progress.finish();
  if (!bundle) return fail(bundle.status());
  nlohmann::ordered_json result;
  result["out"] = o.out;
  result["tree_size"] = bundle->checkpoint.size;
  result["root_hash"] = to_hex(bundle->checkpoint.root);
  result["verifier_key"] = signer->verifier_key();
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
  return o.format.empty() ? run_bundle_export(o, out) : run_records_export(o, out);
}

}  // namespace

void add_export_command(CLI::App& app, Action& action) {
  auto e = std::make_shared<ExportOptions>();
  CLI::App* exp = app.add_subcommand(
      "export", "Write an audit bundle of the log as it stands (events.jsonl, checkpoint, verifier.key), or with "
                "--format the fund's records as CSV files or IATI 2.03 XML");
  add_data_option(*exp, e->data);
  exp->add_option("--out", e->out, "The directory to write, which must not exist")->required();
  exp->add_option("--format", e->format,
                  "csv: one file per kind of record; iati: iati-activities.xml and iati-organisation.xml");
  exp->add_option("--as-of", e->as_of, "With --format: the records as the log stood after event SEQ");
  add_period_options(*exp, e->statement, "With --format csv, the period of statement.csv (by default the calendar "
                                          "years of the log's events): ");
  exp->add_option("--iati-org", e->publisher.org_ref,
                  "With --format iati: the publisher's IATI organisation identifier (default XM-DAC-41116)");
  exp->add_option("--iati-org-name", e->publisher.org_name,
                  "With --format iati: the publisher's name (default United Nations Environment Programme)");
  exp->callback([e, &action] { action = [e] { return run_export(*e); }; });
}

}  // namespace fundledger::cli
