#pragma once
// What the server makes of a request's bytes, apart from the connection:
// the parser with the server's limits, the checks of a header that the
// router never sees, and the router's view of a parsed request. The
// server reads through these, and so does the fuzz target of the request
// path (fuzz/request_fuzz.cc).

#include <boost/beast/http.hpp>

#include <optional>

#include "api/router.h"
#include "api/listener.h"

namespace fundledger::api {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the parser's header and body limits to the server's.
void limit_parser(HttpParser& parser, const Limits& limits);

// The answer to a header the server refuses before the router: an
// HTTP/1.1 request without exactly one Host (RFC 9112, 3.2), a body framed
// by a length and a transfer coding at once, a length over the limit.
// nullopt when the request may go on.
std::optional<Response> refuse_header(const HttpParser& parser, const Limits& limits);

// The path and query of a request's target: the target itself in origin
// form ("/v1/fund?as_of=3"); in absolute form, which a server must accept
// (RFC 9112, 3.2.2), what follows the authority ("https://host/v1/fund"
// gives "/v1/fund", "https://host" gives "/").
std::string_view origin_form(std::string_view target);

// The router's view of a parsed request: views into `req`, its target in
// origin form.
Request router_request(const HttpRequest& req);

}  // namespace fundledger::api
