#pragma once
// Structured logs: one JSON object per line on stderr, with the time, the
// level, a short message and the fields that say what happened. Never put a
// secret (a token) in a field.

#include <string_view>

#include <nlohmann/json.hpp>

namespace fundledger::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Lines below `level` are dropped. The default is kInfo. Thread-safe.
void set_level(Level level);

void debug(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void info(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void warn(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void error(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

}  // namespace fundledger::log
