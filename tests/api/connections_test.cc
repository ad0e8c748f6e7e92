// Connection slots shared fairly (api/connections.h): a client holding
// many connections gives up its own idle ones first, handshakes are
// bounded, and a fresh client is answered while another holds a thousand.

#include <sys/resource.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/connections.h"
#include "tests/api/served.h"

namespace fundledger::api::test {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

struct Holder final : Evictable {
  std::atomic<int> evicted{0};
  void evict() override { ++evicted; }
};

struct Pool {
  Connections slots;
  std::vector<std::shared_ptr<Holder>> holders;
  explicit Pool(SlotLimits limits) : slots(limits) {}
  // Admits a connection from `address`; its holder, and its id (0: refused).
  std::pair<std::shared_ptr<Holder>, Connections::Id> open(const std::string& address) {
    auto h = std::make_shared<Holder>();
    holders.push_back(h);
    return {h, slots.admit(address, h)};
  }
};

// A plain TCP connection from `source` (an address of the loopback
// network) that sends nothing.
tcp::socket connect_from(net::io_context& io, const std::string& source, std::uint16_t port) {
  tcp::socket s(io);
  s.open(tcp::v4());
  s.bind(tcp::endpoint(net::ip::make_address(source), 0));
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  return s;
}

// Whether a new client gets its handshake and a 200 from /healthz.
bool answered(std::uint16_t port) {
  Client c(port);
  return !c.handshake_error && c.send(http::verb::get, "/healthz").status == 200;
}

void raise_file_limit(rlim_t wanted) {
  rlimit files{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
  REQUIRE(files.rlim_max >= wanted);
  files.rlim_cur = std::max(files.rlim_cur, wanted);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &files) == 0);
}

// `count` connections from `source` that send nothing, with the file
// descriptors that takes allowed.
std::vector<tcp::socket> hold(net::io_context& io, const std::string& source, int count, std::uint16_t port) {
  raise_file_limit(4096);
  std::vector<tcp::socket> held;
  for (int i = 0; i < count; ++i) held.push_back(connect_from(io, source, port));
  return held;
}

}  // namespace

TEST_CASE("an address past its share gives up its own oldest waiting connection", "[connections]") {
  Pool p(SlotLimits{.connections_max = 10, .per_address_max = 3, .handshakes_max = 10});
  const auto [a1, id1] = p.open("10.0.0.1");
  const auto [a2, id2] = p.open("10.0.0.1");
  const auto [a3, id3] = p.open("10.0.0.1");
  p.slots.set_stage(id1, Connections::Stage::kAnswering);  // the oldest answers: it stays
  const auto [b1, idb] = p.open("10.0.0.2");
  const auto [a4, id4] = p.open("10.0.0.1");
  CHECK(id4 != 0);
  CHECK(a1->evicted == 0);
  CHECK(a2->evicted == 1);  // the oldest that waits
  CHECK(a3->evicted == 0);
  CHECK(b1->evicted == 0);  // another address is never touched
  CHECK(p.slots.open() == 4);
  CHECK(p.slots.evicted() == 1);
}

TEST_CASE("when every slot is taken the address holding most gives one up, and when all answer the new one is refused",
          "[connections]") {
  Pool p(SlotLimits{.connections_max = 4, .per_address_max = 4, .handshakes_max = 4});
  const auto [a1, id1] = p.open("10.0.0.1");
  const auto [a2, id2] = p.open("10.0.0.1");
  const auto [a3, id3] = p.open("10.0.0.1");
  const auto [b1, idb] = p.open("10.0.0.2");
  for (const auto id : {id1, id2, id3, idb}) p.slots.set_stage(id, Connections::Stage::kWaiting);
  p.slots.set_stage(id1, Connections::Stage::kAnswering);
  const auto [c1, idc] = p.open("10.0.0.3");
  CHECK(idc != 0);
  CHECK(a2->evicted == 1);  // 10.0.0.1 holds most; a2 has waited longest
  CHECK(b1->evicted == 0);
  CHECK(p.slots.open() == 4);

  Pool full(SlotLimits{.connections_max = 2, .per_address_max = 2, .handshakes_max = 2});
  const auto [x, idx] = full.open("10.0.0.1");
  const auto [y, idy] = full.open("10.0.0.2");
  full.slots.set_stage(idx, Connections::Stage::kAnswering);
  full.slots.set_stage(idy, Connections::Stage::kAnswering);
  CHECK(full.open("10.0.0.3").second == 0);
  CHECK(x->evicted == 0);
  CHECK(y->evicted == 0);
  full.slots.release(idx);
  CHECK(full.open("10.0.0.3").second != 0);
}

TEST_CASE("handshakes past their bound close the oldest handshake", "[connections]") {
  Pool p(SlotLimits{.connections_max = 10, .per_address_max = 10, .handshakes_max = 2});
  const auto [a, ida] = p.open("10.0.0.1");
  const auto [b, idb] = p.open("10.0.0.2");
  const auto [c, idc] = p.open("10.0.0.3");
  CHECK(a->evicted == 1);
  CHECK(b->evicted == 0);
  p.slots.set_stage(idb, Connections::Stage::kWaiting);  // b's handshake done
  const auto [d, idd] = p.open("10.0.0.4");
  CHECK(c->evicted == 0);  // only c is in its handshake: one of two
  CHECK(p.slots.open() == 3);
}

TEST_CASE("a fresh client is answered while another address holds 1,100 connections", "[server][slow]") {
  Served s;
  net::io_context io;
  const std::vector<tcp::socket> held = hold(io, "127.0.0.2", 1100, s.port());
  // The attacker's own connections made room for each other: the server
  // holds at most its share of them.
  CHECK(answered(s.port()));
  // It goes on reopening what the server closes, 3,000 times as fast as it
  // can, while fresh clients are answered.
  std::atomic<bool> done{false};
  std::thread attacker([&] {
    net::io_context aio;
    std::vector<tcp::socket> again;
    for (int i = 0; i < 3000; ++i) {
      again.push_back(connect_from(aio, "127.0.0.2", s.port()));
      if (again.size() > 1100) again.erase(again.begin());
    }
    done = true;
  });
  int tried = 0;
  int fresh = 0;
  while (!done || tried < 20) {
    ++tried;
    if (answered(s.port())) ++fresh;
  }
  attacker.join();
  CHECK(fresh == tried);
}

TEST_CASE("a fresh client from the same address as 1,100 idle connections takes the slot of the oldest",
          "[server][slow]") {
  Served s;
  net::io_context io;
  const std::vector<tcp::socket> held = hold(io, "127.0.0.1", 1100, s.port());
  CHECK(answered(s.port()));
}

}  // namespace fundledger::api::test
