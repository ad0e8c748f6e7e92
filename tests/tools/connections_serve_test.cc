// `serve` as a process under connections dropped at every stage: before
// the handshake, during it, after it, in the middle of a request, and left
// for the handshake timeout to close. Its resident memory comes back to
// within a tenth of where it started ([long]: tools/test --slow).

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

using test::net::ip::tcp;

// VmRSS of `pid`, in KiB.
long resident_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

tcp::socket connect_from(test::net::io_context& io, const std::string& source, std::uint16_t port) {
  tcp::socket s(io);
  s.open(tcp::v4());
  s.bind(tcp::endpoint(test::net::ip::make_address(source), 0));
  s.connect(tcp::endpoint(test::net::ip::make_address("127.0.0.1"), port));
  return s;
}

// Sends a ClientHello and closes before the server's answer is read.
void drop_during_handshake(test::net::io_context& io, SSL_CTX* ctx, std::uint16_t port) {
  tcp::socket s = connect_from(io, "127.0.0.1", port);
  SSL* ssl = SSL_new(ctx);
  const int fd = s.native_handle();
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  SSL_set_fd(ssl, fd);
  SSL_connect(ssl);  // writes the ClientHello, wants to read
  SSL_free(ssl);
}

void one_of_each(test::net::io_context& io, SSL_CTX* ctx, std::uint16_t port) {
  connect_from(io, "127.0.0.1", port);  // closed at once
  drop_during_handshake(io, ctx, port);
  {
    test::Client after(port);  // handshake done, closed
  }
  test::Client mid(port);
  test::net::write(mid.raw(), test::net::buffer(std::string("GET /v1/fund HTTP/1.1\r\nHost: x\r\nAuthor")));
}

}  // namespace

TEST_CASE("connections dropped at every stage leave serve's memory as it was", "[cli][connections][long]") {
  rlimit files{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("init --data " + data).exit_code == 0);
  REQUIRE(test::run_cli("append --data " + data, test::generated(2000, 5)).exit_code == 0);
  test::TempDir run;
  test::ServeProcess serve(run, data);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  test::net::io_context io;
  // Warmed: every thread has served each kind once.
  for (int i = 0; i < 200; ++i) one_of_each(io, ctx, serve.port());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long start = resident_kib(serve.pid());
  for (int i = 0; i < 5000; ++i) one_of_each(io, ctx, serve.port());
  // Left to the handshake timeout (10 s): 200 from four addresses, each
  // within its share and all within the handshakes' bound.
  std::vector<tcp::socket> silent;
  for (int i = 0; i < 200; ++i) silent.push_back(connect_from(io, "127.0.1." + std::to_string(1 + i % 4), serve.port()));
  const long peak = resident_kib(serve.pid());
  std::this_thread::sleep_for(std::chrono::seconds(12));
  silent.clear();
  long now = resident_kib(serve.pid());
  for (int i = 0; i < 100 && now > start + start / 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    now = resident_kib(serve.pid());
  }
  INFO("resident KiB: " << start << " at the start, " << peak << " after 5,000 of each, " << now << " at the end");
  CHECK(now <= start + start / 10);
  // Still serving.
  test::Client c(serve.port());
  CHECK(c.send(test::http::verb::get, "/healthz").status == 200);
  SSL_CTX_free(ctx);
}

}  // namespace fundledger
