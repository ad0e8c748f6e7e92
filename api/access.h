#pragma once
// Who may use the API, as the server holds it and as the log records it.
//
// The server answers to the tokens of the ledger's `tokens` file and reads
// the file again whenever it changes (or on SIGHUP), so that a token made,
// revoked or expired takes effect within a second, without a restart and
// without dropping a connection. It notes when each token was last used
// and keeps that in `tokens.used` beside the file.
//
// Every grant and revocation the file holds is also an event of the log
// (`access.granted`, `access.revoked`: name, role, the first 16 hex digits
// of the token's hash, never the token), appended by whoever holds the log
// when the file changes: `token add` and `token revoke` when no server
// runs, the server when it reads the changed file. Each event's id is made
// from the name and the hash, so that recording the file again appends
// only what the log lacks.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/tokens.h"
#include "domain/event.h"
#include "ledger/writer.h"
#include "util/status.h"

namespace fundledger::api {

// The tokens a server answers to. Thread-safe.
class LiveTokens {
 public:
  explicit LiveTokens(TokenStore store);

  // TokenStore::find, noting the use of a token in force.
  TokenMatch find(std::string_view token, Millis now) const;
  // Answers to `store` from the next request on.
  void replace(TokenStore store);
  std::shared_ptr<const TokenStore> current() const;
  // When each token was last used (by hash prefix), since the server
  // started and as `tokens.used` said then (see merge_used).
  std::map<std::string, Millis> used() const;
  // Adds earlier uses, keeping the later of two.
  void merge_used(const std::map<std::string, Millis>& earlier);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const TokenStore> store_;     // guarded by mu_
  mutable std::map<std::string, Millis> used_;  // guarded by mu_
};

// One access event of the tokens file and the actor it is appended as.
struct AccessDraft {
  Draft draft;
  std::string actor;
};
// Every grant and revocation of `tokens`, in the file's order.
std::vector<AccessDraft> access_drafts(const TokenStore& tokens);
// Appends those the log lacks, one append each. Returns how many were
// new. Refusals: the writer's.
Result<std::size_t> record_access(Writer& writer, const TokenStore& tokens);

// `tokens.used`: "<hash prefix> <time>" a line. An absent file is none;
// a line that is not one is skipped.
std::map<std::string, Millis> read_used(const std::filesystem::path& path);
Status write_used(const std::filesystem::path& path, const std::map<std::string, Millis>& used);

}  // namespace fundledger::api
