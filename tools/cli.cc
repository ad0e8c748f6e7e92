#include "tools/cli.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/certificate.h"
#include "audit/checkpoint.h"
#include "audit/note.h"
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

Status create_ledger(const std::string& dir, const std::string& origin, std::string& verifier_key) {
  FL_RETURN_IF_ERROR(Store::create(dir, origin));
  const std::optional<NoteSigner> signer = NoteSigner::generate(origin);
  FL_CHECK(signer.has_value());  // origin is a valid key name
  const std::filesystem::path path(dir);
  if (const std::string bad = write_signing_key(path / kSigningKeyFile, *signer); !bad.empty()) {
    return Status::error(Code::kStorageError, "the ledger was created without its signing key: " + bad);
  }
  std::ofstream out(path / kVerifierKeyFile);
  out << signer->verifier_key() << "\n";
  if (!out.flush()) return Status::error(Code::kStorageError, "cannot write " + (path / kVerifierKeyFile).string());
  verifier_key = signer->verifier_key();
  if (const std::string bad = api::write_self_signed_certificate(path / api::kCertificateFile,
                                                                 path / api::kCertificateKeyFile);
      !bad.empty()) {
    return Status::error(Code::kStorageError, "the ledger was created without its TLS certificate: " + bad);
  }
  return Status::ok();
}

std::optional<NoteSigner> read_ledger_key(const std::string& dir, const Store& store, int& exit_code) {
  std::string error;
  std::optional<NoteSigner> signer =
      read_signing_key(std::filesystem::path(dir) / kSigningKeyFile, store.origin(), error);
  if (!signer) exit_code = fail(Status::error(Code::kNoSigningKey, error));
  return signer;
}

std::optional<std::string> read_key_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty()) return std::nullopt;
  std::string more;
  if (std::getline(in, more)) return std::nullopt;
  return line;
}

}  // namespace fundledger::cli
