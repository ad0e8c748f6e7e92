#pragma once
// What an event does to the fund's figures, for a preview before it is
// recorded (a dry run): each figure of the views of SPEC 3 it changes,
// before and after. The views are the fund, the regions and the
// programmes, and the donor, call and proposal the event names (directly,
// or through its pledge or proposal).
//
// A figure is named by its path in its view: "cash", "counts.donors",
// "currencies[EUR].received", "by_region[AFR].approved",
// "trail[57].type". A list of objects is keyed by the member that names
// an element (disbursement, pledge, proposal, call, donor, seq; or its
// programme, region and currency together, joined by ','), so that a new
// element does not shift the names of the others; an empty list has no
// figures.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/data_view.h"
#include "domain/event.h"
#include "domain/state.h"
#include "domain/views.h"

namespace fundledger {

struct FigureChange {
  std::string view;       // "fund", "donor", "call", "proposal", "regions", "programmes"
  std::string id;         // the donor, call or proposal; "" for the others
  std::string figure;     // its path in the view
  nlohmann::json before;  // as the view shows it; null when it was not there
  nlohmann::json after;   // null when it is no longer there
};

// Takes the figures an event may change before it is applied, and tells
// which changed after.
class EffectProbe {
 public:
  // Before the event of `type` with `data`, which check() accepted, is
  // applied to `state`.
  EffectProbe(const FundState& state, EventType type, const DataView& data);
  // After it was applied to the same state: the figures that differ, view
  // by view in the order above, each view's figures sorted by path.
  std::vector<FigureChange> changes(const FundState& state) const;

 private:
  struct Target {
    ViewKind kind;
    std::string id;
  };
  using Figures = std::map<std::string, nlohmann::json>;
  static Figures figures(const FundState& state, const Target& target);

  std::vector<Target> targets_;
  std::vector<Figures> before_;
};

// The figures of a view, flattened to their paths as above.
std::map<std::string, nlohmann::json> flatten_view(const nlohmann::json& view);

}  // namespace fundledger
