#pragma once
// `fundledger witness serve`: a witness of c2sp.org/tlog-witness over
// HTTPS, on the same listener as the ledger's server (api/listener.h). It
// answers POST /add-checkpoint alone (audit/witness.h says what it
// answers), keeping the head it cosigns of each log it knows durable
// before it answers (ledger/witness_state.h).
//
// Its directory:
//
//   witness.key   its Ed25519 key (PEM, mode 0600)
//   verifier.key  its cosigner's verifier key (type 0x04), one line, public
//   logs          the logs it cosigns: lines "log <verifier key>"
//   tls.crt, tls.key  its self-signed certificate, as a ledger's
//   state/        the heads it cosigned (RocksDB)

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/listener.h"
#include "audit/cosignature.h"
#include "audit/witness.h"
#include "ledger/witness_state.h"
#include "util/status.h"

namespace fundledger::api {

inline constexpr std::string_view kWitnessKeyFile = "witness.key";
inline constexpr std::string_view kWitnessLogsFile = "logs";
inline constexpr std::string_view kWitnessStateDir = "state";

// Makes a witness's directory named `name` (a valid key name): its key,
// verifier key, an empty logs file and a certificate; returns its
// verifier key. Refusals: storage_error (the directory is not empty, a
// write fails), tls_error, usage (a bad name).
Result<std::string> create_witness(const std::filesystem::path& dir, const std::string& name);
// The witness's key, named as its verifier key says. Refusal:
// no_signing_key, saying why.
Result<Cosigner> read_witness_key(const std::filesystem::path& dir);

// The answer to one request, for tests without a network: `time` is the
// cosignature's. Thread-safe as WitnessState is.
Response witness_response(std::string_view method, std::string_view path, std::string_view body,
                          const std::vector<WitnessedLog>& logs, const Cosigner& cosigner, WitnessState& state,
                          std::uint64_t time);

class WitnessServer {
 public:
  // Serves `logs` with `cosigner`, keeping heads in `state`, which
  // outlives the server. Refusals: those of Listener::open.
  static Result<std::unique_ptr<WitnessServer>> start(std::vector<WitnessedLog> logs, Cosigner cosigner,
                                                      WitnessState& state, const ListenOptions& options);
  ~WitnessServer();
  std::uint16_t port() const;
  void stop();
  void wait();

  struct Impl;

 private:
  explicit WitnessServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundledger::api
