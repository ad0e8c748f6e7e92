#pragma once
// The log's side of c2sp.org/tlog-witness: `serve` sends each new
// checkpoint to the witnesses of the ledger's `witnesses` file, with the
// consistency proof from the size each holds (learnt from its 409), on a
// thread of its own, so that appends never wait on a witness; a witness
// that fails is tried again after a second, then twice as long each time
// up to a minute. The cosignatures it returns are checked with the
// witness's key and kept with the checkpoint (ledger/checkpoints.h), which
// /v1/audit/checkpoint then serves with them.
//
// The file: lines "witness <name> <cosigner's verifier key> <URL>" (the
// witness lines of c2sp.org/tlog-policy, the URL the submission prefix
// that add-checkpoint follows), '#' comments and blank lines. The
// witness's TLS certificate is not checked: what a witness says is
// trusted through its cosignature alone, which no one in between can make.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "api/metrics.h"
#include "audit/cosignature.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "util/status.h"

namespace fundledger::api {

inline constexpr std::string_view kWitnessesFile = "witnesses";

struct WitnessEndpoint {
  std::string name;
  CosignatureVerifier key;
  std::string host;
  std::string port;
  std::string prefix;  // the URL's path, without a final '/'
};

// Refusal: usage, naming the line.
Result<std::vector<WitnessEndpoint>> parse_witness_endpoints(std::string_view text);

class WitnessPusher {
 public:
  struct Backoff {
    std::chrono::milliseconds first{1000};
    std::chrono::milliseconds max{60000};
  };
  // Starts the thread. `store`, `writer` and `metrics` outlive the pusher.
  WitnessPusher(Store& store, Writer& writer, std::vector<WitnessEndpoint> witnesses, Metrics& metrics,
                Backoff backoff);
  ~WitnessPusher();
  WitnessPusher(const WitnessPusher&) = delete;
  WitnessPusher& operator=(const WitnessPusher&) = delete;

  // A new checkpoint was signed: each witness behind it is sent it now.
  void wake();
  // Stops the thread, waiting for a request under way (10 s at most).
  void stop();

 private:
  struct Witness {
    WitnessEndpoint endpoint;
    std::uint64_t held = 0;      // the size the witness holds, as far as known
    std::uint64_t cosigned = 0;  // the latest size it cosigned for us
    std::chrono::milliseconds retry{0};
    std::chrono::steady_clock::time_point due{};
  };
  void run();
  // One add-checkpoint to `w` of the checkpoint `note` of `size`.
  void push(Witness& w, std::uint64_t size, const std::string& note);

  Store& store_;
  Writer& writer_;
  Metrics& metrics_;
  Backoff backoff_;
  std::vector<Witness> witnesses_;  // on the thread
  std::mutex mu_;
  std::condition_variable wake_;
  bool woken_ = true;     // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace fundledger::api
