#pragma once
// Expected failures as values. A Status is either ok or carries a code of
// the one table (util/error_codes.h: `invalid_amount`, `id_conflict`,
// `exceeds_outstanding`, ...), a message a fund manager can read, and
// optionally the path of the field it is about (`data.amount`). Exceptions
// thrown by libraries are caught at the edge that calls them and turned
// into a Status; they never cross our APIs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "util/check.h"
#include "util/error_codes.h"

namespace fundledger {

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(const Status& other)
      : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status ok() { return Status(); }
  // `code` is not Code::kOk.
  static Status error(Code code, std::string message, std::string field = {}) {
    FL_CHECK(code != Code::kOk);
    Status s;
    s.rep_ = std::make_unique<Rep>(Rep{code, std::move(message), std::move(field)});
    return s;
  }

  bool is_ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return is_ok(); }

  // Code::kOk when ok.
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  const std::string& message() const { return rep_ ? rep_->message : empty(); }
  // Path of the field the error is about, "" when it is about no field.
  const std::string& field() const { return rep_ ? rep_->field : empty(); }

  // Returns a copy whose field path is `prefix` joined to this one, so that an
  // error found inside `data` reads `data.amount` at the caller.
  Status under(const std::string& prefix) const {
    Status s = *this;
    if (!s.rep_ || prefix.empty()) return s;
    std::string& f = s.rep_->field;
    if (f.empty()) {
      f = prefix;
    } else {
      f = f[0] == '[' ? prefix + f : prefix + "." + f;
    }
    return s;
  }

  std::string to_string() const {
    if (is_ok()) return "ok";
    std::string s = std::string(code_name(rep_->code)) + ": " + rep_->message;
    if (!rep_->field.empty()) s += " (" + rep_->field + ")";
    return s;
  }

 private:
  // Held behind a pointer so that an ok Status, the common case on every hot
  // path, costs one null pointer to make and to return.
  struct Rep {
    Code code;
    std::string message;
    std::string field;
  };
  static const std::string& empty() {
    static const std::string kEmpty;
    return kEmpty;
  }
  std::unique_ptr<Rep> rep_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    FL_CHECK(!std::get<Status>(v_).is_ok());
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    FL_CHECK(is_ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    FL_CHECK(is_ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    FL_CHECK(is_ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace fundledger

// FL_CHECK for a Status that must be ok: aborts with its code and message
// when it is not (the fund's invariants before a write, say).
#define FL_CHECK_OK(expr)                                                                     \
  do {                                                                                        \
    const ::fundledger::Status fl_checked_ = (expr);                                          \
    if (!fl_checked_.is_ok()) [[unlikely]]                                                    \
      ::fundledger::detail::check_failed(#expr, __FILE__, __LINE__, fl_checked_.to_string().c_str()); \
  } while (0)

// Returns the Status of `expr` from the enclosing function when it is an error.
#define FL_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::fundledger::Status fl_status_ = (expr);    \
    if (!fl_status_.is_ok()) return fl_status_;  \
  } while (0)
