#include "tools/cli.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "api/ledger_dir.h"
#include "util/files.h"
#include "domain/formats.h"
#include "util/check.h"

namespace fundledger::cli {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

void add_data_option(CLI::App& command, std::string& dir) {
  const char* env = std::getenv("FUNDLEDGER_DATA");
  dir = env != nullptr && *env != '\0' ? env : "./fundledger-data";
  command.add_option("--data", dir, "The ledger's directory (default $FUNDLEDGER_DATA or ./fundledger-data)");
}

Result<Period> PeriodOptions::period() const {
  if (name.empty() == (from.empty() || to.empty()) || (!name.empty() && (!from.empty() || !to.empty()))) {
    return Status::error(Code::kUsage, "a period is --period 2014 (or 2014-2015), or --from DAY --to DAY", "period");
  }
  return name.empty() ? period_between(from, to) : named_period(name);
}

void add_period_options(CLI::App& command, PeriodOptions& period, const std::string& prefix) {
  command.add_option("--period", period.name, prefix + "A calendar year (2014) or a biennium (2014-2015)");
  command.add_option("--from", period.from, prefix + "The period's first day, YYYY-MM-DD");
  command.add_option("--to", period.to, prefix + "The period's last day, YYYY-MM-DD");
}

void print_json(const nlohmann::ordered_json& value) {
  std::cout << value.dump() << '\n';
}

void print_json(const nlohmann::json& value) { std::cout << value.dump() << '\n'; }

int fail(const Status& status, const nlohmann::ordered_json& extra) {
  nlohmann::ordered_json error;
  error["code"] = code_name(status.code());
  error["message"] = status.message();
  if (!status.field().empty()) error["field"] = status.field();
  for (const auto& [key, value] : extra.items()) error[key] = value;
  nlohmann::ordered_json out;
  out["error"] = error;
  std::cout.flush();
  std::cerr << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return exit_code(status.code());
}

std::string default_actor() {
  const char* user = std::getenv("USER");
  const std::string name = user != nullptr && *user != '\0' ? user : "cli";
  const std::string actor = "manager:" + name;
  return is_actor(actor) ? actor : "manager:cli";
}

std::unique_ptr<Store> open_store(const std::string& dir, const OpenOptions& options,
                                  int& exit_code) {
  Result<std::unique_ptr<Store>> store = Store::open(dir, options);
  if (!store) {
    exit_code = fail(store.status());
    return nullptr;
  }
  return std::move(*store);
}

Progress::Progress(std::string what)
    : what_(std::move(what)), enabled_(isatty(STDERR_FILENO) == 1), started_ms_(now_ms()) {}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const std::int64_t now = now_ms();
  if (drawn_ && now - last_ms_ < 100 && done != total) return;
  last_ms_ = now;
  drawn_ = true;
  const auto elapsed_ms = static_cast<std::uint64_t>(now - started_ms_);
  const std::uint64_t rate = elapsed_ms == 0 ? 0 : done * 1000 / elapsed_ms;
  if (total == 0) {
    std::fprintf(stderr, "\r\033[K%s: %s events, %s events/s", what_.c_str(),
                 with_commas(done).c_str(), with_commas(rate).c_str());
  } else {
    std::fprintf(stderr, "\r\033[K%s: %s / %s events (%llu%%), %s events/s", what_.c_str(),
                 with_commas(done).c_str(), with_commas(total).c_str(),
                 static_cast<unsigned long long>(done * 100 / total), with_commas(rate).c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

std::optional<NoteSigner> ledger_key(const std::string& dir, const Store& store, int& exit_code) {
  Result<NoteSigner> signer = api::read_ledger_key(dir, store.origin());
  if (!signer) {
    exit_code = fail(signer.status());
    return std::nullopt;
  }
  return std::move(*signer);
}

nlohmann::ordered_json quorum_json(const QuorumReport& q, const std::string& quorum) {
  nlohmann::ordered_json out;
  out["quorum"] = quorum;
  out["met"] = q.met;
  out["signed"] = nlohmann::ordered_json::array();
  for (const QuorumReport::Signed& s : q.signed_by) out["signed"].push_back({{"witness", s.name}, {"time", s.time}});
  out["not_signed"] = q.missing;
  out["bad_signature"] = q.bad;
  return out;
}

Result<Policy> read_policy(const std::string& path) {
  Result<std::string> text = read_text_file(path);
  if (!text) return text.status();
  return parse_policy(*text);
}

}  // namespace fundledger::cli
