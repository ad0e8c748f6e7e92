#include "util/log.h"

#include <chrono>
#include <memory>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "util/timestamp.h"

namespace fundledger::log {
namespace {

// spdlog gives a thread-safe sink and level filtering; the line itself is
// written here so that it is valid JSON whatever the message holds.
spdlog::logger& logger() {
  static const std::shared_ptr<spdlog::logger> instance = [] {
    auto l = std::make_shared<spdlog::logger>(
        "fundledger", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("%v");
    l->set_level(spdlog::level::info);
    l->flush_on(spdlog::level::debug);
    return l;
  }();
  return *instance;
}

void write(spdlog::level::level_enum level, std::string_view level_name, std::string_view msg,
           const nlohmann::json& fields) {
  if (!logger().should_log(level)) return;
  nlohmann::ordered_json line;
  line["ts"] = format_timestamp(to_millis(std::chrono::system_clock::now()));
  line["level"] = level_name;
  line["msg"] = msg;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  logger().log(level, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void set_level(Level level) {
  static constexpr spdlog::level::level_enum kLevels[] = {
      spdlog::level::debug, spdlog::level::info, spdlog::level::warn, spdlog::level::err};
  logger().set_level(kLevels[static_cast<int>(level)]);
}

void debug(std::string_view msg, const nlohmann::json& fields) {
  write(spdlog::level::debug, "debug", msg, fields);
}
void info(std::string_view msg, const nlohmann::json& fields) {
  write(spdlog::level::info, "info", msg, fields);
}
void warn(std::string_view msg, const nlohmann::json& fields) {
  write(spdlog::level::warn, "warn", msg, fields);
}
void error(std::string_view msg, const nlohmann::json& fields) {
  write(spdlog::level::err, "error", msg, fields);
}

}  // namespace fundledger::log
