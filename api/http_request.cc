#include "api/http_request.h"

#include <string>
#include <string_view>

namespace fundledger::api {

namespace http = boost::beast::http;

void limit_parser(HttpParser& parser, const Limits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes_max));
  parser.body_limit(limits.body_bytes_max);
}

std::optional<Response> refuse_header(const HttpParser& parser, const Limits& limits) {
  const HttpRequest& req = parser.get();
  if (req.version() == 11 && req.count(http::field::host) != 1) {
    return error_response(Code::kBadRequest, "an HTTP/1.1 request names its Host exactly once");
  }
  // Beast lets `identity` pass beside a length.
  if (req.count(http::field::transfer_encoding) != 0 && req.count(http::field::content_length) != 0) {
    return error_response(Code::kBadRequest, "a request has a Content-Length or a Transfer-Encoding, not both");
  }
  if (req.has_content_length() && parser.content_length().value_or(0) > limits.body_bytes_max) {
    return error_response(Code::kBodyTooLarge, "the body is over " + std::to_string(limits.body_bytes_max) + " bytes");
  }
  return std::nullopt;
}

std::string_view origin_form(std::string_view target) {
  for (const std::string_view scheme : {"https://", "http://"}) {
    if (target.size() > scheme.size() && boost::beast::iequals(target.substr(0, scheme.size()), scheme)) {
      const std::string_view rest = target.substr(scheme.size());
      const std::size_t path = rest.find_first_of("/?");
      if (path == std::string_view::npos) return "/";
      // An authority followed by a query names no path: no route.
      return rest[path] == '/' ? rest.substr(path) : std::string_view();
    }
  }
  return target;
}

Request router_request(const HttpRequest& req) {
  const auto field = [&req](http::field f) {
    const auto v = req[f];
    return std::string_view(v.data(), v.size());
  };
  Request request;
  request.method = std::string_view(req.method_string().data(), req.method_string().size());
  request.target = origin_form(std::string_view(req.target().data(), req.target().size()));
  request.authorization = field(http::field::authorization);
  request.content_type = field(http::field::content_type);
  request.if_none_match = field(http::field::if_none_match);
  request.body = &req.body();
  return request;
}

}  // namespace fundledger::api
