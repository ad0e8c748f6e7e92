#pragma once
// What the writer needs to know about the events so far to accept the next
// one. Changes are journalled so that a refused request, or a group whose
// write failed, can be taken back exactly.

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/event.h"
#include "ledger/status.h"
#include "ledger/store.h"

namespace fundledger {

class LedgerState {
 public:
  // Rebuilds the state from the events `reader` sees, up to its head.
  Status load(const StoreReader& reader);

  // Checks `draft` against the state and completes it: a write-off's amount
  // takes the decimals of its pledge's currency. Refusals: unknown_pledge,
  // invalid_amount.
  Status prepare(Draft& draft) const;
  // Records an accepted event.
  void apply(const Draft& draft);

  // A point to roll back to; rollback undoes every apply() made after it.
  std::size_t mark() const { return journal_.size(); }
  void rollback(std::size_t mark);
  // Makes everything applied so far permanent (clears the journal).
  void commit() { journal_.clear(); }

 private:
  std::unordered_map<std::string, int> pledge_minor_units_;
  std::vector<std::string> journal_;  // pledges added since the last commit
};

}  // namespace fundledger
