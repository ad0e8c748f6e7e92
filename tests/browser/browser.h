#pragma once
// Debian's Chromium, headless, driven over the DevTools protocol (a
// WebSocket, with Beast), for the tests of the dashboard's pages: the
// browser, one page's session, and what the tests compare and save.

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "audit/note.h"

namespace fundledger::test {

namespace browser_net {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using json = nlohmann::json;
}  // namespace browser_net
using namespace browser_net;

inline constexpr const char* kChromium = "/usr/bin/chromium";

// Chromium, headless, with a DevTools port of its own choosing.
class Browser {
 public:
  explicit Browser(const std::filesystem::path& profile) {
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const std::string user_data = "--user-data-dir=" + profile.string();
      // Its own output would only clutter the test's.
      std::freopen("/dev/null", "w", stdout);
      std::freopen((profile.string() + ".log").c_str(), "w", stderr);
      ::execl(kChromium, kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-extensions", "--disable-background-networking", "--ignore-certificate-errors",
              "--remote-debugging-port=0", "--window-size=1280,1000", "--hide-scrollbars", user_data.c_str(),
              "about:blank", static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    // Chromium writes its port, then the browser's path, here.
    for (int i = 0; i < 300 && port_ == 0; ++i) {
      std::ifstream in(profile / "DevToolsActivePort");
      std::string port;
      if (std::getline(in, port) && !port.empty()) port_ = static_cast<std::uint16_t>(std::stoi(port));
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(port_ != 0);
  }
  ~Browser() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// One page's DevTools session.
class Page {
 public:
  explicit Page(std::uint16_t port) : ws_(io_) {
    // The page Chromium opened, from its list of targets.
    std::string ws_path;
    {
      tcp::socket s(io_);
      s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
      http::request<http::empty_body> req(http::verb::get, "/json/list", 11);
      req.set(http::field::host, "127.0.0.1");
      http::write(s, req);
      beast::flat_buffer buffer;
      http::response<http::string_body> res;
      http::read(s, buffer, res);
      for (const json& target : json::parse(res.body())) {
        if (target["type"] == "page") {
          const std::string url = target["webSocketDebuggerUrl"];
          ws_path = url.substr(url.find('/', std::string("ws://").size()));
          break;
        }
      }
    }
    REQUIRE_FALSE(ws_path.empty());
    ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    // A read that waits over a minute means the browser is stuck.
    const timeval timeout{60, 0};
    ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ws_.read_message_max(64 << 20);
    ws_.handshake("127.0.0.1:" + std::to_string(port), ws_path);
  }

  // Called with every event the browser sends (outside of other calls).
  std::function<void(const json&)> on_event;

  json call(const std::string& method, json params = json::object()) {
    const int id = ++next_id_;
    ws_.write(net::buffer(json{{"id", id}, {"method", method}, {"params", std::move(params)}}.dump()));
    ++depth_;
    for (;;) {
      if (const auto found = responses_.find(id); found != responses_.end()) {
        json r = std::move(found->second);
        responses_.erase(found);
        --depth_;
        dispatch();
        INFO(method << ": " << r.dump());
        REQUIRE_FALSE(r.contains("error"));
        return r["result"];
      }
      beast::flat_buffer buffer;
      ws_.read(buffer);
      json message = json::parse(beast::buffers_to_string(buffer.data()));
      if (std::getenv("CDP_DEBUG")) std::fprintf(stderr, "CDP %s\n", message.dump().substr(0, 300).c_str());
      if (message.contains("id")) {
        const int answered = message["id"].get<int>();
        responses_[answered] = std::move(message);
      } else {
        events_.push_back(std::move(message));
      }
    }
  }

  // The value of a JavaScript expression (promises awaited).
  json evaluate(const std::string& expression) {
    const json r = call("Runtime.evaluate", {{"expression", expression}, {"awaitPromise", true}, {"returnByValue", true}});
    INFO(expression << " -> " << r.dump());
    REQUIRE_FALSE(r.contains("exceptionDetails"));
    return r["result"].contains("value") ? r["result"]["value"] : json();
  }

  // Waits up to 20 s for `expression` to be true.
  void wait_for(const std::string& expression) {
    for (int i = 0; i < 200; ++i) {
      if (evaluate("Boolean(" + expression + ")") == true) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("waited 20 s for " << expression << "; errors shown: " << evaluate("document.getElementById('errors').textContent"));
  }

  std::string text(const std::string& test_id) {
    const json t = evaluate("(() => { const e = document.querySelector('[data-test=\"" + test_id +
                            "\"]'); return e ? e.textContent : null; })()");
    INFO(test_id);
    REQUIRE(t.is_string());
    return t;
  }

  // Shows the page at `hash` and waits until it has loaded.
  void show(const std::string& hash, const std::string& page) {
    evaluate("document.body.dataset.ready = ''; location.hash = '" + hash + "'; true");
    wait_for("document.body.dataset.ready === '" + page + "'");
  }
  std::string errors() { return evaluate("document.getElementById('errors').textContent"); }

  // The whole page, not only what the window shows.
  std::string screenshot() {
    const json metrics = call("Page.getLayoutMetrics");
    const json& size = metrics["cssContentSize"];
    const json r = call("Page.captureScreenshot",
                        {{"format", "png"},
                         {"captureBeyondViewport", true},
                         {"clip", {{"x", 0}, {"y", 0}, {"width", size["width"]}, {"height", size["height"]}, {"scale", 1}}}});
    return *base64_decode(r["data"].get<std::string>());
  }

 private:
  void dispatch() {
    while (depth_ == 0 && !events_.empty()) {
      const json e = std::move(events_.front());
      events_.pop_front();
      if (on_event) on_event(e);
    }
  }

  net::io_context io_;
  websocket::stream<tcp::socket> ws_;
  int next_id_ = 0;
  int depth_ = 0;
  std::map<int, json> responses_;
  std::deque<json> events_;
};

// "2565000.00" -> "2,565,000.00", as a fund officer reads it.
inline std::string grouped(const std::string& decimal) {
  const std::size_t dot = decimal.find('.');
  const std::string whole = decimal.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return out + (dot == std::string::npos ? "" : decimal.substr(dot));
}
inline std::string usd(const json& decimal) { return grouped(decimal.get<std::string>()) + " USD"; }

// Opens the dashboard at `base` ("https://127.0.0.1:PORT") and signs in
// with `token`, as a person pastes it; waits for the fund's page.
inline void sign_in(Page& page, const std::string& base, const std::string& token) {
  page.call("Page.enable");
  page.call("Runtime.enable");
  page.call("Page.navigate", {{"url", base + "/"}});
  page.wait_for("document.readyState === 'complete' && document.getElementById('token') !== null");
  page.evaluate("document.getElementById('token').value = '" + token +
                "'; document.getElementById('sign-in-form').requestSubmit(); true");
  page.wait_for("document.body.dataset.ready === 'fund'");
}

inline void save_screenshot(const std::string& png, const std::string& name) {
  REQUIRE(png.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  if (const char* dir = std::getenv("FUNDLEDGER_SCREENSHOTS")) {
    std::filesystem::create_directories(dir);
    std::ofstream(std::filesystem::path(dir) / name, std::ios::binary) << png;
  }
}

}  // namespace fundledger::test
