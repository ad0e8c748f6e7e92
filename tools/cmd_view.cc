// view, statement and rebuild: what the Board and donors read, and
// rebuilding the projection's snapshots from the log.

#include <memory>
#include <optional>
#include <string>

#include "audit/audited_view.h"
#include "domain/views.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/view_as_of.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "util/canonical.h"

namespace fundledger::cli {
namespace {

struct ViewOptions {
  std::string data;
  std::string kind;
  std::string id;
  std::optional<std::uint64_t> as_of;
  std::string as_of_date;
  bool sign = false;
};

int run_view(const ViewOptions& o) {
  const std::optional<ViewKind> kind = view_from_name(o.kind);
  if (!kind) {
    return fail(Status::error(Code::kUsage, "no view \"" + o.kind +
                                           "\"; the views are fund, donors, donor ID, calls, call ID, "
                                           "proposal ID, programmes, regions, decisions, decision ID, board"));
  }
  if (view_takes_id(*kind) == o.id.empty()) {
    return fail(Status::error(Code::kUsage, view_takes_id(*kind)
                                           ? "the " + o.kind + " view needs an id: view " + o.kind + " ID"
                                           : "the " + o.kind + " view takes no id"));
  }
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  const std::shared_ptr<const StoreReader> reader = store->reader();
  std::optional<NoteSigner> signer;
  if (o.sign) {
    signer = ledger_key(o.data, *store, exit_code);
    if (!signer) return exit_code;
  }
  Result<nlohmann::json> view = o.as_of_date.empty() ? view_as_of(reader, *kind, o.id, o.as_of)
                                                     : view_as_of_date(reader, *kind, o.id, o.as_of, o.as_of_date);
  if (!view) return fail(view.status());
  std::cout << canonical_json(signer ? sign_view(std::move(*view), *signer) : *view) << '\n';
  return kExitOk;
}

struct StatementOptions {
  std::string data;
  PeriodOptions period;
  std::optional<std::uint64_t> as_of;
  std::optional<std::uint64_t> recorded_after;
  bool sign = false;
};

int run_statement(const StatementOptions& o) {
  const Result<Period> period = o.period.period();
  if (!period) return fail(period.status());
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  std::optional<NoteSigner> signer;
  if (o.sign) {
    signer = ledger_key(o.data, *store, exit_code);
    if (!signer) return exit_code;
  }
  Progress progress("statement");
  Result<nlohmann::json> statement =
      statement_as_of(*store->reader(), *period, o.as_of, o.recorded_after,
                      [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  progress.finish();
  if (!statement) return fail(statement.status());
  std::cout << canonical_json(signer ? sign_view(std::move(*statement), *signer) : *statement) << '\n';
  return kExitOk;
}

struct RebuildOptions {
  std::string data;
};

int run_rebuild(const RebuildOptions& o) {
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  Progress progress("rebuild");
  const Status rebuilt = rebuild_projection(
      *store, [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  progress.finish();
  if (!rebuilt) return fail(rebuilt);
  nlohmann::ordered_json out;
  out["rebuilt"] = true;
  out["tree_size"] = store->head().size;
  out["snapshots"] = store->head().size / kSnapshotEvents;
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_view_commands(CLI::App& app, Action& action) {
  auto view = std::make_shared<ViewOptions>();
  CLI::App* c = app.add_subcommand(
      "view", "Show a view: fund, donors, donor ID, calls, call ID, proposal ID, programmes, regions");
  add_data_option(*c, view->data);
  c->add_option("view", view->kind, "Which view")->required();
  c->add_option("id", view->id, "The donor, call or proposal, for the views of one");
  c->add_option("--as-of", view->as_of, "The view as the log stood at this seq");
  c->add_option("--as-of-date", view->as_of_date,
                "The view of the events dated on or before this day (YYYY-MM-DD), as recorded up to --as-of");
  c->add_flag("--signed", view->sign, "Sign it with the log's key: the audited view the API serves (SPEC 3)");
  c->callback([view, &action] { action = [view] { return run_view(*view); }; });

  auto statement = std::make_shared<StatementOptions>();
  c = app.add_subcommand("statement", "The statement of sources and uses for a period of business dates");
  add_data_option(*c, statement->data);
  add_period_options(*c, statement->period);
  c->add_option("--as-of", statement->as_of, "The events as recorded up to this seq (default: the head)");
  c->add_option("--recorded-after", statement->recorded_after,
                "List the period's events recorded after this seq: the late entries since a statement seen then");
  c->add_flag("--signed", statement->sign, "Sign it with the log's key, as the API serves it (SPEC 3)");
  c->callback([statement, &action] { action = [statement] { return run_statement(*statement); }; });

  auto rebuild = std::make_shared<RebuildOptions>();
  c = app.add_subcommand("rebuild", "Drop the projection's snapshots and replay the log");
  add_data_option(*c, rebuild->data);
  c->callback([rebuild, &action] { action = [rebuild] { return run_rebuild(*rebuild); }; });
}

}  // namespace fundledger::cli
