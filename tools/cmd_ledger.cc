// init, append and events: creating a ledger, adding to it, reading it back.

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "api/ledger_dir.h"
#include "audit/note.h"
#include "domain/event.h"
#include "domain/formats.h"
#include "ledger/event_pages.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

// Events one `append` may carry. The whole file is one atomic write, held in
// memory until it lands.
constexpr std::size_t kAppendEventsMax = 1'000'000;
// Events one `events` call prints when no --limit is given: all of them.
constexpr std::uint64_t kEventsLimitDefault = UINT64_MAX;
// Events read and printed at a time.
constexpr std::uint64_t kEventsPrinted = 4096;
// Lines of `append`'s file read between updates of its progress.
constexpr std::size_t kProgressLines = 4096;
constexpr std::string_view kOriginDefault = "localhost/fundledger";

// --- init -------------------------------------------------------------------

struct InitOptions {
  std::string data;
  std::string origin{kOriginDefault};
};

int run_init(const InitOptions& o) {
  // The origin names the log's key in its signed checkpoints (SPEC 4).
  if (!valid_key_name(o.origin)) {
    return fail(Status::error(Code::kUsage, "--origin must be a key name: no spaces, no '+', printable UTF-8",
                              "origin"));
  }
  const Result<std::string> verifier_key = api::create_ledger(o.data, o.origin);
  if (!verifier_key) return fail(verifier_key.status());
  nlohmann::ordered_json out;
  out["data"] = o.data;
  out["origin"] = o.origin;
  out["verifier_key"] = *verifier_key;
  print_json(out);
  return kExitOk;
}

// --- append -----------------------------------------------------------------

struct AppendOptions {
  std::string data;
  std::string file = "-";
  std::string actor = default_actor();
};

// Reads and decodes every line of `in`; on the first bad line, prints why
// and returns false. Blank lines are skipped; line numbers count them.
bool read_drafts(std::istream& in, std::vector<Draft>& drafts, std::vector<std::size_t>& lines,
                 int& exit_code) {
  Progress progress("append: reading");
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (number % kProgressLines == 0) progress.update(drafts.size(), 0);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (drafts.size() == kAppendEventsMax) {
      exit_code = fail(Status::error(Code::kTooManyEvents,
                                     "one append takes at most " +
                                         std::to_string(kAppendEventsMax) +
                                         " events; split the file"),
                       {{"line", number}});
      return false;
    }
    Result<Draft> draft = decode_draft(line);
    if (draft) {
      if (Status sent = check_client_type(*draft); !sent) draft = std::move(sent);
    }
    if (!draft) {
      exit_code = fail(draft.status(), {{"line", number}});
      return false;
    }
    drafts.push_back(std::move(*draft));
    lines.push_back(number);
  }
  if (in.bad()) {
    exit_code = fail(Status::error(Code::kIoError, "cannot read the events"));
    return false;
  }
  return true;
}

int run_append(const AppendOptions& o) {
  if (!is_actor(o.actor) || o.actor.rfind("manager:", 0) != 0) {
    return fail(Status::error(Code::kUsage, "--actor must be manager:NAME; only a manager appends"));
  }
  std::ifstream file;
  if (o.file != "-") {
    file.open(o.file, std::ios::binary);
    if (!file) return fail(Status::error(Code::kUsage, "cannot open " + o.file));
  }
  std::istream& in = o.file == "-" ? std::cin : file;
  int exit_code = kExitOk;
  std::vector<Draft> drafts;
  std::vector<std::size_t> lines;
  if (!read_drafts(in, drafts, lines, exit_code)) return exit_code;

  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  Writer writer(*store);
  Progress progress("append: writing");
  progress.update(0, drafts.size());
  const AppendResult result = writer.append(std::move(drafts), o.actor);
  progress.finish();
  if (!result.status) {
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();
    if (result.failed_at) extra["line"] = lines[*result.failed_at];
    return fail(result.status, extra);
  }
  std::string out;
  for (const Receipt& r : result.receipts) {
    nlohmann::ordered_json line;
    line["seq"] = r.seq;
    line["id"] = r.id;
    line["leaf_hash"] = to_hex(r.leaf);
    line["chain_hash"] = to_hex(r.chain);
    out += line.dump();
    out += '\n';
  }
  std::cout << out;
  return kExitOk;
}

// --- events -----------------------------------------------------------------

struct EventsOptions {
  std::string data;
  std::uint64_t from = 1;
  std::uint64_t limit = kEventsLimitDefault;
};

int run_events(const EventsOptions& o) {
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  const auto reader = store->reader();
  const std::uint64_t size = reader->head().size;
  if (o.from > size || o.limit == 0) return kExitOk;
  // At most --limit events from --from, up to the head.
  const std::uint64_t last = size - (o.from - 1) <= o.limit ? size : o.from - 1 + o.limit;
  std::string out;
  for (std::uint64_t first = o.from; first <= last; first += kEventsPrinted) {
    const Status read = append_events(*reader, first, std::min(last, first + kEventsPrinted - 1), '\n', out);
    if (!out.empty()) out += '\n';
    std::cout << out;
    out.clear();
    if (!read) return fail(read);
  }
  return kExitOk;
}

}  // namespace

void add_ledger_commands(CLI::App& app, Action& action) {
  auto init = std::make_shared<InitOptions>();
  CLI::App* c = app.add_subcommand("init", "Create a ledger");
  add_data_option(*c, init->data);
  c->add_option("--origin", init->origin, "The log's name in its checkpoints")
      ->capture_default_str();
  c->callback([init, &action] { action = [init] { return run_init(*init); }; });

  auto append = std::make_shared<AppendOptions>();
  c = app.add_subcommand("append", "Append events, one JSON object per line: all of them or none");
  add_data_option(*c, append->data);
  c->add_option("file", append->file, "A file of events, or - for stdin")->capture_default_str();
  c->add_option("--actor", append->actor, "Who appends, as manager:NAME")->capture_default_str();
  c->callback([append, &action] { action = [append] { return run_append(*append); }; });

  auto events = std::make_shared<EventsOptions>();
  c = app.add_subcommand("events", "Print events with their leaf and chain hashes");
  add_data_option(*c, events->data);
  c->add_option("--from", events->from, "The first seq to print")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c->add_option("--limit", events->limit, "How many events to print at most (default: all)");
  c->callback([events, &action] { action = [events] { return run_events(*events); }; });
}

}  // namespace fundledger::cli
