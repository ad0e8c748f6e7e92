// view and rebuild: what the Board and donors read, and rebuilding the
// projection's snapshots from the log.

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
  bool sign = false;
};

int run_view(const ViewOptions& o) {
  const std::optional<ViewKind> kind = view_from_name(o.kind);
  if (!kind) {
    return fail(Status::error(Code::kUsage, "no view \"" + o.kind +
                                           "\"; the views are fund, donors, donor ID, calls, call ID, "
                                           "proposal ID, programmes, regions"));
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
  Result<nlohmann::json> view = view_as_of(reader, *kind, o.id, o.as_of);
  if (!view) return fail(view.status());
  std::cout << canonical_json(signer ? sign_view(std::move(*view), *signer) : *view) << '\n';
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
  c->add_flag("--signed", view->sign, "Sign it with the log's key: the audited view the API serves (SPEC 3)");
  c->callback([view, &action] { action = [view] { return run_view(*view); }; });

  auto rebuild = std::make_shared<RebuildOptions>();
  c = app.add_subcommand("rebuild", "Drop the projection's snapshots and replay the log");
  add_data_option(*c, rebuild->data);
  c->callback([rebuild, &action] { action = [rebuild] { return run_rebuild(*rebuild); }; });
}

}  // namespace fundledger::cli
