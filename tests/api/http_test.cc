// HTTP as RFC 9110 and 9112 have it, beyond the routes: HEAD, targets in
// absolute form, and a refusal that reaches a client still sending its body.

#include "tests/api/served.h"

namespace fundledger::api::test {
namespace {

namespace http = boost::beast::http;

TEST_CASE("a client that sends a whole body over the limit before reading still gets its 413", "[server]") {
  Served s;
  // Without Expect: 100-continue, as most clients send: the header, then
  // 2 MiB of body, then the answer is read. The server refuses from the
  // header and reads the rest to throw it away, so that closing does not
  // reset the connection under the answer.
  for (int i = 0; i < 5; ++i) {
    Client c(s.port());
    const std::string body(2 << 20, 'x');
    const Reply r = c.send_raw("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + s.manager +
                               "\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body);
    check_error(r, 413, "body_too_large");
  }
}

TEST_CASE("HEAD answers a GET route's header alone, and an absolute-form target is routed by its path", "[server]") {
  Served s;
  Client c(s.port());
  const Reply get = c.send(http::verb::get, "/v1/fund", s.board);
  const Reply head = c.head("/v1/audit/key");
  CHECK(head.status == 200);
  CHECK(head.text.empty());
  CHECK(head.headers.at("content-length") == std::to_string(c.send(http::verb::get, "/v1/audit/key").text.size()));
  CHECK(c.head("/v1/nothing").status == 404);
  CHECK(get.status == 200);
  const Reply absolute =
      c.send_raw("GET https://localhost/v1/fund HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + s.board +
                 "\r\n\r\n");
  CHECK(absolute.status == 200);
  CHECK(absolute.text == get.text);
  CHECK(c.send_raw("GET https://localhost HTTP/1.1\r\nHost: localhost\r\n\r\n").status == 200);  // the dashboard
}

}  // namespace
}  // namespace fundledger::api::test
