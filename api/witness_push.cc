#include "api/witness_push.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <charconv>

#include "audit/policy.h"
#include "audit/proof.h"
#include "audit/witness.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"
#include "util/log.h"

namespace fundledger::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::chrono::seconds kRequestTimeout{10};

struct Answer {
  int status = 0;
  std::string content_type;
  std::string body;
};

// One POST over TLS, on a connection of its own. Refusal: storage_error
// saying what failed (the network's words).
Result<Answer> post(const WitnessEndpoint& w, const std::string& body) {
  try {
    net::io_context io;
    ssl::context tls(ssl::context::tls_client);
    tls.set_verify_mode(ssl::verify_none);  // the cosignature is what is trusted (api/witness_push.h)
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), w.host.c_str())) {
      return Status::error(Code::kStorageError, "cannot name the host " + w.host);
    }
    beast::get_lowest_layer(stream).expires_after(kRequestTimeout);
    beast::get_lowest_layer(stream).connect(tcp::resolver(io).resolve(w.host, w.port));
    stream.handshake(ssl::stream_base::client);
    http::request<http::string_body> req(http::verb::post, w.prefix + "/add-checkpoint", 11);
    req.set(http::field::host, w.host);
    req.set(http::field::content_type, "text/plain; charset=utf-8");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 10);
    http::read(stream, buffer, parser);
    const auto& res = parser.get();
    beast::error_code ignored;
    stream.shutdown(ignored);
    return Answer{static_cast<int>(res.result_int()), std::string(res[http::field::content_type]), res.body()};
  } catch (const std::exception& e) {
    return Status::error(Code::kStorageError, e.what());
  }
}

std::optional<std::uint64_t> size_line(std::string_view body) {
  if (body.empty() || body.back() != '\n') return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size() - 1, v);
  if (ec != std::errc() || end != body.data() + body.size() - 1) return std::nullopt;
  return v;
}

}  // namespace

Result<std::vector<WitnessEndpoint>> parse_witness_endpoints(std::string_view text) {
  std::vector<WitnessEndpoint> out;
  FL_RETURN_IF_ERROR(for_each_policy_line(text, Code::kUsage, "the witnesses file", [&](const auto& f) -> std::optional<std::string> {
    if (f[0] != "witness" || f.size() != 4) return "a line is \"witness <name> <verifier key> <URL>\"";
    const std::string name(f[1]);
    const std::string url(f[3]);
    std::optional<CosignatureVerifier> key = CosignatureVerifier::parse(f[2]);
    if (!key) return "\"" + std::string(f[2]) + "\" is not a cosigner's verifier key (type 0x04)";
    if (!url.starts_with("https://")) return "the URL " + url + " is not https://";
    const std::string rest = url.substr(8);
    const auto slash = rest.find('/');
    std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    const std::string authority = rest.substr(0, slash);
    const auto colon = authority.rfind(':');
    const std::string host = colon == std::string::npos ? authority : authority.substr(0, colon);
    const std::string port = colon == std::string::npos ? "443" : authority.substr(colon + 1);
    if (host.empty() || port.empty()) return "the URL " + url + " names no host";
    for (const WitnessEndpoint& other : out) {
      if (other.name == name) return "the witness " + name + " is named twice";
    }
    out.push_back({name, std::move(*key), host, port, prefix});
    return std::nullopt;
  }));
  return out;
}

WitnessPusher::WitnessPusher(Store& store, Writer& writer, std::vector<WitnessEndpoint> witnesses, Metrics& metrics,
                             Backoff backoff)
    : store_(store), writer_(writer), metrics_(metrics), backoff_(backoff) {
  for (WitnessEndpoint& w : witnesses) {
    metrics_.witness_cosigned(w.name, 0);
    witnesses_.push_back(Witness{std::move(w)});
  }
  thread_ = std::thread([this] { run(); });
}

WitnessPusher::~WitnessPusher() { stop(); }

void WitnessPusher::wake() {
  const std::lock_guard lock(mu_);
  woken_ = true;
  wake_.notify_one();
}

void WitnessPusher::stop() {
  {
    const std::lock_guard lock(mu_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void WitnessPusher::run() {
  while (true) {
    auto next = std::chrono::steady_clock::now() + backoff_.max;
    {
      std::unique_lock lock(mu_);
      for (const Witness& w : witnesses_) {
        if (w.retry.count() > 0) next = std::min(next, w.due);
      }
      wake_.wait_until(lock, next, [this] { return woken_ || stopping_; });
      if (stopping_) return;
      woken_ = false;
    }
    Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(*store_.reader());
    if (!latest || !latest->has_value()) continue;
    const auto& [size, note] = **latest;
    const auto now = std::chrono::steady_clock::now();
    for (Witness& w : witnesses_) {
      if (w.cosigned >= size || (w.retry.count() > 0 && now < w.due)) continue;
      push(w, size, note);
    }
  }
}

void WitnessPusher::push(Witness& w, std::uint64_t size, const std::string& note) {
  const auto failed = [&](const std::string& why) {
    w.retry = w.retry.count() == 0 ? backoff_.first : std::min(w.retry * 2, backoff_.max);
    w.due = std::chrono::steady_clock::now() + w.retry;
    log::warn("witness did not cosign", {{"witness", w.endpoint.name}, {"tree_size", size}, {"why", why},
                                         {"retry_ms", w.retry.count()}});
  };
  // Twice at most: a 409 teaches the size the witness holds.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (w.held > size) return failed("the witness holds size " + std::to_string(w.held) + ", beyond the log's checkpoint");
    const StoredTree tree(*store_.reader());
    const std::optional<std::vector<Hash>> proof = consistency_proof(tree, w.held, size);
    if (!proof) return failed("the consistency proof could not be read");
    const Result<Answer> answer = post(w.endpoint, add_checkpoint_body(w.held, *proof, note));
    if (!answer) return failed(answer.status().message());
    if (answer->status == 409 && answer->content_type == kTlogSizeType) {
      const std::optional<std::uint64_t> held = size_line(answer->body);
      if (!held) return failed("a 409 without a size");
      w.held = *held;
      continue;
    }
    if (answer->status != 200) return failed("HTTP " + std::to_string(answer->status) + ": " + answer->body);
    Result<SplitNote> lines = split_note(note.substr(0, note.find("\n\n") + 1) + "\n" + answer->body);
    if (!lines) return failed("the answer holds no signature lines");
    if (w.endpoint.key.check(*lines).outcome != Cosigned::kValid) return failed("the cosignature does not verify");
    std::string valid;
    for (const NoteSignatureLine& l : lines->signatures) {
      if (l.name == w.endpoint.key.name() && l.key_id == w.endpoint.key.key_id()) {
        valid += note_signature_line(l.name, l.key_id, l.signature);
      }
    }
    Status kept = Status::ok();
    const Status locked = writer_.read_state([&](const FundState&, const Head&) { kept = add_cosignatures(store_, size, valid); });
    if (!locked || !kept) return failed("the cosignature was not kept: " + (locked ? kept : locked).message());
    w.held = w.cosigned = size;
    w.retry = std::chrono::milliseconds{0};
    metrics_.witness_cosigned(w.endpoint.name, size);
    log::info("cosigned by witness", {{"witness", w.endpoint.name}, {"tree_size", size}});
    return;
  }
  failed("the witness answered 409 twice");
}

}  // namespace fundledger::api
