// The HTTP request path: bytes parsed as the server parses a request (its
// parser and limits, api/http_request.h), the header checks the server
// makes, then the router (api/router.h) over a ledger of 200 generated
// events with a token of each role. The tokens are random, so an input
// names them: "$M", "$B" and "$A" stand for the manager's, the Board's and
// the auditor's. Every request gets an answer whose status is one the
// error table gives, never a 5xx but the disk's 503.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "api/http_request.h"
#include "api/router.h"
#include "api/tokens.h"
#include "domain/generator.h"
#include "fuzz/fuzz_support.h"
#include "ledger/checkpoints.h"

using namespace fundledger;
using namespace fundledger::api;

namespace {

struct Ledger {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Writer> writer;
  Metrics metrics;
  std::string manager, board, auditor;
  std::unique_ptr<Router> router;

  Ledger() : dir(std::filesystem::temp_directory_path() / ("fundledger-fuzz-request-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir);
    fuzz::require(Store::create(dir, "fuzz.example/ledger").is_ok(), "the ledger is created");
    Result<std::unique_ptr<Store>> opened = Store::open(dir, OpenOptions{});
    fuzz::require(opened.is_ok(), "the ledger opens");
    store = std::move(*opened);
    writer = std::make_unique<Writer>(*store);
    Generator generator;
    std::vector<Draft> drafts;
    for (int i = 0; i < 200; ++i) drafts.push_back(*decode_draft(generator.next()));
    fuzz::require(writer->append(std::move(drafts), "manager:alice").status.is_ok(), "the events append");
    const NoteSigner signer = *NoteSigner::generate("fuzz.example/ledger");
    fuzz::require(sign_checkpoint(*store, signer).is_ok(), "a checkpoint is signed");
    manager = *TokenStore::add(dir / "tokens", "alice", Role::kManager);
    board = *TokenStore::add(dir / "tokens", "bea", Role::kBoard);
    auditor = *TokenStore::add(dir / "tokens", "abe", Role::kAuditor);
    router = std::make_unique<Router>(*store, *writer, *TokenStore::load(dir / "tokens"), signer, metrics);
  }
  ~Ledger() {
    router.reset();
    writer.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // The input with the tokens put in for their names.
  std::string with_tokens(std::string_view text) const {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '$' && i + 1 < text.size()) {
        const char c = text[i + 1];
        const std::string* token = c == 'M' ? &manager : c == 'B' ? &board : c == 'A' ? &auditor : nullptr;
        if (token != nullptr) {
          out += *token;
          ++i;
          continue;
        }
      }
      out += text[i];
    }
    return out;
  }
};

Ledger& ledger() {
  static Ledger l;
  return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Ledger& l = ledger();
  const std::string bytes = l.with_tokens(fuzz::text_of(data, size));
  Limits limits;
  limits.body_bytes_max = 64 << 10;
  HttpParser parser;
  limit_parser(parser, limits);
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  if (ec || !parser.is_done()) return 0;
  fuzz::require(used <= bytes.size(), "the parser reads within the input");
  if (std::optional<Response> refusal = refuse_header(parser, limits)) {
    fuzz::require(refusal->status == 400 || refusal->status == 413, "a refused header is the client's error");
    return 0;
  }
  const Response r = l.router->handle(router_request(parser.get()));
  // FUNDLEDGER_FUZZ_PRINT=1: each answer's status and route on stderr, to
  // see what a corpus reaches.
  static const bool print = std::getenv("FUNDLEDGER_FUZZ_PRINT") != nullptr;
  if (print) std::fprintf(stderr, "%d %s %.80s\n", r.status, r.route.c_str(), r.body.c_str());
  fuzz::require(r.status >= 200 && (r.status < 500 || r.status == 503), "a request gets the client's answer");
  fuzz::require(!r.route.empty(), "an answer names its route, for the metrics");
  return 0;
}
