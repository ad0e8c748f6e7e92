// import: the CSV files of `export --format csv`, recorded as one atomic
// request (domain/csv_import.h).

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "domain/csv_import.h"
#include "domain/exports.h"
#include "domain/formats.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct ImportOptions {
  std::string data;
  std::string format = "csv";
  std::string dir;
  std::string actor = default_actor();
  bool dry_run = false;
};

// The export's files in `dir`. A .csv file of another name is refused, so
// that a misnamed file is not passed over.
Result<std::vector<ExportFile>> read_files(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::error(Code::kUsage, dir.string() + " is not a directory");
  }
  std::vector<ExportFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".csv") continue;
    if (!is_csv_export_file(name)) {
      return Status::error(Code::kInvalidCsv, name + " is not a file of `export --format csv`", name);
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return Status::error(Code::kIoError, "cannot read " + entry.path().string());
    files.push_back({name, std::move(text).str()});
  }
  if (ec) return Status::error(Code::kIoError, "cannot list " + dir.string() + ": " + ec.message());
  if (files.empty()) return Status::error(Code::kUsage, dir.string() + " holds no file of `export --format csv`");
  return files;
}

// A refusal with the file and row it concerns; its field names the column.
int fail_at(const Status& status, const ImportRow& where) {
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
  if (!where.file.empty()) extra["file"] = where.file;
  if (where.row != 0) extra["row"] = where.row;
  return fail(status, extra);
}

int run_import(const ImportOptions& o) {
  if (o.format != "csv") return fail(Status::error(Code::kUsage, "--format must be csv"));
  if (!is_actor(o.actor) || o.actor.rfind("manager:", 0) != 0) {
    return fail(Status::error(Code::kUsage, "--actor must be manager:NAME; only a manager records"));
  }
  Result<std::vector<ExportFile>> files = read_files(o.dir);
  if (!files) return fail(files.status());
  ImportRow where;
  Result<CsvImport> import = import_csv(*files, where);
  if (!import) return fail_at(import.status(), where);

  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  Writer writer(*store);
  Progress progress(o.dry_run ? "import: dry run" : "import: writing");
  progress.update(0, import->drafts.size());
  const std::size_t count = import->drafts.size();
  const DryRunResult result = writer.submit(std::move(import->drafts), o.actor, o.dry_run);
  progress.finish();
  if (const Status& status = result.status; !status) {
    if (!result.failed_at) return fail(status);
    return fail_at(Status::error(status.code(), status.message(), import_column(status.field())),
                   import->rows[*result.failed_at]);
  }
  const auto receipt = [&result](std::size_t i) -> const Receipt& { return result.events[i].receipt; };
  std::size_t repeats = 0;
  nlohmann::ordered_json rows = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < count; ++i) {
    repeats += receipt(i).repeat ? 1 : 0;
    rows[import->rows[i].file] = rows.value(import->rows[i].file, 0) + 1;
  }
  nlohmann::ordered_json out;
  out["dry_run"] = o.dry_run;
  out["events"] = count;
  out["recorded"] = o.dry_run ? 0 : count - repeats;
  out["repeats"] = repeats;
  out["first_seq"] = count == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(receipt(0).seq);
  out["last_seq"] = count == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(receipt(count - 1).seq);
  out["events_by_file"] = std::move(rows);
  out["left_out"] = {{"access.csv", import->access_rows_left_out},
                     {"statement.csv", import->statement_rows_left_out}};
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_import_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* c = app.add_subcommand(
      "import", "Record the CSV files of `export --format csv` in DIR: every row or none");
  add_data_option(*c, o->data);
  c->add_option("--format", o->format, "csv")->capture_default_str();
  c->add_option("dir", o->dir, "The directory of the CSV files")->required();
  c->add_option("--actor", o->actor, "Who records, as manager:NAME")->capture_default_str();
  c->add_flag("--dry-run", o->dry_run, "Check every row against the fund as it stands, and record nothing");
  c->callback([o, &action] { action = [o] { return run_import(*o); }; });
}

}  // namespace fundledger::cli
