// `fundledger serve` run as a process in the background, on a free port,
// for the tests that use the program as people do.

#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/temp_dir.h"

namespace fundledger::test {

// `fundledger serve` run as a process in the background, on a free port.
class ServeProcess {
 public:
  explicit ServeProcess(const TempDir& dir, const std::string& data)
      : ServeProcess(dir.str(), "serve --data " + data) {}
  // Any serving command (`witness serve --dir D`), its files named from
  // `files` (a path prefix), on a free port.
  ServeProcess(const std::string& files, const std::string& command)
      : out_(files + "/out"), err_(files + "/err"), pid_file_(files + "/pid"), rc_(files + "/rc") {
    for (const std::string& f : {out_, err_, pid_file_, rc_}) std::remove(f.c_str());
    // The server, its pid and, once it exits, its status.
    const std::string script = std::string(FUNDLEDGER_BIN) + " " + command + " --listen 127.0.0.1:0 >" + out_ +
                               " 2>" + err_ + " & echo $! >" + pid_file_ + "; wait $!; echo $? >" + rc_;
    REQUIRE(std::system(("sh -c '" + script + "' &").c_str()) == 0);
    const std::string listening = first_line(out_, 100);
    REQUIRE_FALSE(listening.empty());
    listening_ = nlohmann::json::parse(listening);
    pid_ = std::stoi(first_line(pid_file_, 50));
  }

  // Stops the server if the test has not: SIGTERM, then SIGKILL after 10 s.
  ~ServeProcess() {
    if (pid_ <= 0 || !exit_status(1).empty()) return;
    ::kill(pid_, SIGTERM);
    if (exit_status(100).empty()) ::kill(pid_, SIGKILL);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  const nlohmann::json& listening() const { return listening_; }
  std::uint16_t port() const {
    const std::string url = listening_["url"];
    return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  }
  void signal(int sig) const { REQUIRE(::kill(pid_, sig) == 0); }
  pid_t pid() const { return pid_; }
  // Its exit status, once it has exited, waiting up to `tenths` of a second.
  std::string exit_status(int tenths) const { return first_line(rc_, tenths); }
  std::string log() const {
    std::ifstream in(err_);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  // Waits up to `tenths` of a second for `text` in the log.
  bool log_has(const std::string& text, int tenths) const {
    for (int i = 0; i < tenths; ++i) {
      if (log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  static std::string first_line(const std::string& path, int tenths) {
    for (int i = 0; i < tenths; ++i) {
      std::ifstream in(path);
      std::string line;
      if (std::getline(in, line) && !line.empty()) return line;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::string();
  }

  std::string out_, err_, pid_file_, rc_;
  nlohmann::json listening_;
  pid_t pid_ = 0;
};

}  // namespace fundledger::test
