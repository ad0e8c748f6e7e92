#pragma once
// FL_CHECK: an invariant that holds unless the program itself is wrong (the
// chain links, cash = unallocated + undisbursed). It stays on in every build:
// a ledger that carries on after its own invariants broke would write wrong
// books, so it stops loudly instead.

#include <cstdio>
#include <cstdlib>

namespace fundledger::detail {
// Prints one structured log line on stderr and aborts. The expression text is
// escaped by hand: this runs when the program is already in trouble, so it
// depends on nothing that could fail.
[[noreturn]] inline void check_failed(const char* expr, const char* file, int line,
                                      const char* detail = nullptr) {
  const auto escaped = [](const char* text) {
    for (const char* p = text; *p != '\0'; ++p) {
      if (*p == '"' || *p == '\\') std::fputc('\\', stderr);
      std::fputc(static_cast<unsigned char>(*p) < 0x20 ? ' ' : *p, stderr);
    }
  };
  std::fputs("{\"level\":\"fatal\",\"msg\":\"invariant broken\",\"check\":\"", stderr);
  escaped(expr);
  if (detail != nullptr) {
    std::fputs("\",\"detail\":\"", stderr);
    escaped(detail);
  }
  std::fprintf(stderr, "\",\"at\":\"%s:%d\"}\n", file, line);
  std::fflush(stderr);
  std::abort();
}
}  // namespace fundledger::detail

#define FL_CHECK(cond)                                                  \
  do {                                                                  \
    if (!(cond)) [[unlikely]]                                           \
      ::fundledger::detail::check_failed(#cond, __FILE__, __LINE__);    \
  } while (0)
