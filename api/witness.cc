#include "api/witness.h"

#include <chrono>

#include "api/certificate.h"
#include "api/ledger_dir.h"
#include "util/files.h"
#include "util/log.h"

namespace fundledger::api {
namespace {

constexpr std::string_view kAddCheckpoint = "/add-checkpoint";
// The one route; answering it waits on a synced write.
constexpr Route kAddCheckpointRoute{"POST", kAddCheckpoint, kPublic, nullptr, true};

Response plain(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = "text/plain; charset=utf-8";
  r.route = std::string(kAddCheckpoint);
  return r;
}

std::uint64_t now_seconds() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

class WitnessHandler final : public Handler {
 public:
  WitnessHandler(std::vector<WitnessedLog> logs, Cosigner cosigner, WitnessState& state)
      : logs_(std::move(logs)), cosigner_(std::move(cosigner)), state_(state) {}

  RouteMatch match(const Request& request) const override {
    RouteMatch m;
    m.path = request.target.substr(0, request.target.find('?'));
    if (m.path == kAddCheckpoint && request.method == "POST") m.route = &kAddCheckpointRoute;
    return m;
  }
  Response handle(const Request& request, const RouteMatch& match) const override {
    return witness_response(request.method, match.path, request.body != nullptr ? *request.body : "", logs_,
                            cosigner_, state_, now_seconds());
  }

 private:
  std::vector<WitnessedLog> logs_;
  Cosigner cosigner_;
  WitnessState& state_;
};

}  // namespace

Result<std::string> create_witness(const std::filesystem::path& dir, const std::string& name) {
  const std::optional<Cosigner> cosigner = Cosigner::generate(name);
  if (!cosigner) return Status::error(Code::kUsage, "\"" + name + "\" is not a key name: no spaces, no '+'", "name");
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Status::error(Code::kStorageError, dir.string() + " is not empty");
  }
  std::filesystem::create_directories(dir, ec);
  if (!ec) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec) return Status::error(Code::kStorageError, "cannot create " + dir.string() + ": " + ec.message());
  const std::optional<NoteSigner> key = NoteSigner::from_seed(name, cosigner->seed());
  FL_RETURN_IF_ERROR(write_signing_key(dir / kWitnessKeyFile, *key));
  FL_RETURN_IF_ERROR(write_new_file(dir / kVerifierKeyFile, cosigner->verifier_key() + "\n"));
  FL_RETURN_IF_ERROR(write_new_file(dir / kWitnessLogsFile,
                                    "# The logs this witness cosigns, one line each: log <the log's verifier key>\n",
                                    0600));
  FL_RETURN_IF_ERROR(write_self_signed_certificate(dir / kCertificateFile, dir / kCertificateKeyFile));
  return cosigner->verifier_key();
}

Result<Cosigner> read_witness_key(const std::filesystem::path& dir) {
  Result<std::string> vkey = read_key_file(dir / kVerifierKeyFile);
  if (!vkey) return vkey.status();
  const std::optional<CosignatureVerifier> verifier = CosignatureVerifier::parse(*vkey);
  if (!verifier) return Status::error(Code::kNoSigningKey, (dir / kVerifierKeyFile).string() + " is not a witness's verifier key");
  Result<NoteSigner> key = read_signing_key(dir / kWitnessKeyFile, verifier->name());
  if (!key) return key.status();
  std::optional<Cosigner> cosigner = Cosigner::from_seed(verifier->name(), key->seed());
  if (cosigner->public_key() != verifier->public_key()) {
    return Status::error(Code::kNoSigningKey, "the witness's key is not the one its verifier key names");
  }
  return std::move(*cosigner);
}

Response witness_response(std::string_view method, std::string_view path, std::string_view body,
                          const std::vector<WitnessedLog>& logs, const Cosigner& cosigner, WitnessState& state,
                          std::uint64_t time) {
  if (path != kAddCheckpoint) {
    Response r = plain(404, "not found\n");
    r.route = "";
    return r;
  }
  if (method != "POST") {
    Response r = plain(405, "add-checkpoint is a POST\n");
    r.allow = "POST";
    return r;
  }
  WitnessAnswer refusal;
  const std::optional<Submitted> s = submitted(body, logs, refusal);
  if (!s) return plain(refusal.status, refusal.body);
  const Result<WitnessAnswer> answer = state.decide(s->checkpoint.origin, [&](const std::optional<WitnessedHead>& held) {
    return witness_answer(*s, held, cosigner, time);
  });
  if (!answer) {
    log::error("the witness's state was not kept", {{"code", code_name(answer.status().code())},
                                                    {"message", answer.status().message()}});
    return plain(500, "the witness could not keep its state\n");
  }
  Response r = plain(answer->status, answer->body);
  r.content_type = answer->content_type;
  if (answer->keep) {
    log::info("cosigned", {{"origin", answer->origin}, {"tree_size", answer->keep->size}});
  }
  return r;
}

struct WitnessServer::Impl {
  Impl(std::vector<WitnessedLog> logs, Cosigner cosigner, WitnessState& state)
      : handler(std::move(logs), std::move(cosigner), state) {}
  Metrics metrics;
  WitnessHandler handler;
  std::unique_ptr<Listener> listener;
};

Result<std::unique_ptr<WitnessServer>> WitnessServer::start(std::vector<WitnessedLog> logs, Cosigner cosigner,
                                                            WitnessState& state, const ListenOptions& options) {
  auto impl = std::make_unique<Impl>(std::move(logs), std::move(cosigner), state);
  Result<std::unique_ptr<Listener>> listener = Listener::open(options, impl->handler, impl->metrics);
  if (!listener) return listener.status();
  impl->listener = std::move(*listener);
  impl->listener->start();
  return std::unique_ptr<WitnessServer>(new WitnessServer(std::move(impl)));
}

WitnessServer::WitnessServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WitnessServer::~WitnessServer() { stop(); }
std::uint16_t WitnessServer::port() const { return impl_->listener->port(); }
void WitnessServer::stop() { impl_->listener->stop(); }
void WitnessServer::wait() { impl_->listener->wait(); }

}  // namespace fundledger::api
