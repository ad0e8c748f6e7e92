// gen and demo: generated event streams, and the illustrative ledger.

#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "api/ledger_dir.h"
#include "domain/event.h"
#include "domain/formats.h"
#include "domain/generator.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "tools/demo_events.h"

namespace fundledger::cli {
namespace {

// Bytes of generated events gathered before they are written out.
constexpr std::size_t kFlushBytes = 1 << 20;

// --- gen --------------------------------------------------------------------

struct GenOptions {
  std::uint64_t events = 1000;
  std::uint64_t seed = 1;
  std::string start_date = "2014-01-01";
};

int run_gen(const GenOptions& o) {
  if (!is_business_date(o.start_date)) {
    return fail(Status::error(Code::kUsage, "--start-date must be a date written YYYY-MM-DD"));
  }
  Generator gen(GeneratorOptions{o.seed, o.start_date});
  std::string out;
  for (std::uint64_t i = 0; i < o.events; ++i) {
    out += gen.next();
    out += '\n';
    if (out.size() > kFlushBytes) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out;
  std::cout.flush();
  return std::cout ? kExitOk : kExitRefused;
}

// --- demo -------------------------------------------------------------------

struct DemoOptions {
  std::string data;
};

int run_demo(const DemoOptions& o) {
  std::vector<Draft> drafts;
  std::istringstream in{std::string(demo_events_jsonl())};
  for (std::string line; std::getline(in, line);) {
    Result<Draft> draft = decode_draft(line);
    FL_CHECK(draft.is_ok());  // the demo's events are part of the program
    drafts.push_back(std::move(*draft));
  }
  const std::size_t count = drafts.size();
  bool created = false;
  if (!std::filesystem::exists(std::filesystem::path(o.data) / "CURRENT")) {
    const Result<std::string> made = api::create_ledger(o.data, "localhost/fundledger-demo");
    if (!made) return fail(made.status());
    created = true;
  }
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  Writer writer(*store);
  // Every event has a fixed id, so running the demo again appends nothing.
  const AppendResult result = writer.append(std::move(drafts), "manager:demo");
  if (!result.status) return fail(result.status);
  std::uint64_t appended = 0;
  for (const Receipt& r : result.receipts) appended += r.repeat ? 0 : 1;
  const Head head = store->head();
  nlohmann::ordered_json out;
  out["data"] = o.data;
  out["created"] = created;
  out["events"] = count;
  out["appended"] = appended;
  out["tree_size"] = head.size;
  out["chain_hash"] = to_hex(head.chain);
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_gen_commands(CLI::App& app, Action& action) {
  auto gen = std::make_shared<GenOptions>();
  CLI::App* c = app.add_subcommand(
      "gen", "Print a realistic stream of events, valid under every rule, the same for a seed");
  c->add_option("--events", gen->events, "How many events")->capture_default_str();
  c->add_option("--seed", gen->seed, "The seed")->capture_default_str();
  c->add_option("--start-date", gen->start_date, "The business date of the first events")
      ->capture_default_str();
  c->callback([gen, &action] { action = [gen] { return run_gen(*gen); }; });

  auto demo = std::make_shared<DemoOptions>();
  c = app.add_subcommand("demo", "Create (or complete) the illustrative ledger of DOMAIN.md");
  add_data_option(*c, demo->data);
  c->callback([demo, &action] { action = [demo] { return run_demo(*demo); }; });
}

}  // namespace fundledger::cli
