#pragma once
// The trust fund as the events so far make it: donors and their pledges,
// programmes, calls for proposals, proposals, and the fund's totals. Amounts
// are integer minor units: US cents for every *_usd figure and the fund's
// totals, the pledge's currency for pledge figures.
//
// Each kind of entity encodes to bytes (for snapshots) and back; the
// encoding is deterministic.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "domain/formats.h"

namespace fundledger {

inline constexpr std::size_t kRegionCount = kRegions.size();

// One currency of one donor, in that currency's minor units.
struct CurrencyFigures {
  std::int64_t pledged = 0;
  std::int64_t received = 0;     // every contribution in this currency
  std::int64_t unpledged = 0;    // the part of received not against a pledge
  std::int64_t written_off = 0;
  std::int64_t outstanding = 0;  // pledged - (received - unpledged) - written_off
  bool operator==(const CurrencyFigures&) const = default;
};

struct Pledge {
  std::string id;
  std::string currency;
  int minor_units = 2;
  std::int64_t amount = 0;
  std::int64_t received = 0;
  std::int64_t written_off = 0;
  std::string programme;  // the earmark, "" for none
  std::string pledged_on;
  std::string due_on;  // "" when not given
  std::uint64_t seq = 0;
  std::int64_t outstanding() const { return amount - received - written_off; }
  bool operator==(const Pledge&) const = default;
};

// A correction of an earlier event: `seq` the entry.reversed event, which
// reverses event `reverses` of type `type`.
struct Reversal {
  std::uint64_t seq = 0;
  std::uint64_t reverses = 0;
  EventType type = EventType::kContributionReceived;
  bool operator==(const Reversal&) const = default;
};

struct Donor {
  std::string id;
  std::string name;
  std::string kind;
  std::string country;  // "" when not given
  std::uint64_t seq = 0;
  std::map<std::string, CurrencyFigures> currencies;
  std::int64_t received_usd = 0;
  std::uint64_t contributions = 0;  // net of reversals
  std::vector<Pledge> pledges;  // in the order recorded
  // The reversals of its contributions and write-offs, in seq order.
  std::vector<Reversal> reversals;
  Pledge* pledge(std::string_view id);
  const Pledge* pledge(std::string_view id) const;
  bool operator==(const Donor&) const = default;
};

struct Programme {
  std::string id;
  std::string name;
  std::uint64_t seq = 0;
  std::uint64_t calls = 0;
  std::int64_t budget = 0;
  std::int64_t requested = 0;
  std::int64_t approved = 0;   // net of releases and refunds
  std::int64_t disbursed = 0;  // net of refunds
  std::int64_t earmarked_received = 0;  // USD of contributions to pledges earmarked here
  bool operator==(const Programme&) const = default;
};

enum class ProposalStatus : std::uint8_t { kSubmitted, kApproved, kRejected };
std::string_view status_name(ProposalStatus s);

// Proposals of one call (or of the fund) in one region.
struct RegionFigures {
  std::uint64_t proposals = 0;
  std::array<std::uint64_t, 3> by_status{};  // indexed by ProposalStatus
  std::int64_t requested = 0;
  std::int64_t approved = 0;
  std::int64_t disbursed = 0;
  bool operator==(const RegionFigures&) const = default;
};

struct Call {
  std::string id;
  std::string title;
  std::string programme;
  std::string opened_on;
  std::string closes_on;
  std::string closed_on;  // "" while open
  std::string decision;   // the Board's decision it was opened under
  std::uint8_t regions = 0x1F;  // bit i: kRegions[i] is eligible
  std::uint64_t seq = 0;
  std::int64_t budget = 0;
  RegionFigures total;  // every region together
  std::array<RegionFigures, kRegionCount> by_region{};
  std::vector<std::string> proposals;  // their ids, in the order submitted
  bool open() const { return closed_on.empty(); }
  bool operator==(const Call&) const = default;
};

// The layout of the records below as snapshots store them. Every record
// starts with it, and so does every snapshot's mark, so that snapshots
// written by an earlier fundledger are told apart (and rebuilt) rather
// than misread. Version 2: a proposal's record ends with its trail.
// Version 3: the reversals (a donor's list, a touch's `reverses`, the
// fund's count) and a call's list of its proposals. Version 4: the fund's
// other income and costs (and the event types' numbers moved by them).
// Version 5: the Board's decisions, and a call's decision. Version 6: the
// Board's members.
inline constexpr std::uint64_t kRecordVersion = 6;

struct Proposal {
  std::string id;
  std::string call;
  std::string applicant;
  std::string country;
  std::uint8_t region = 0;  // index in kRegions
  std::string focal_point;
  std::string submitted_on;
  std::uint64_t seq = 0;
  std::int64_t requested = 0;
  ProposalStatus status = ProposalStatus::kSubmitted;
  std::string decision;
  std::string decided_on;
  std::string reason;  // of a rejection
  std::int64_t approved = 0;          // net of releases and refunds
  std::int64_t approved_initial = 0;  // as the Board approved it
  std::int64_t disbursed = 0;         // net of refunds
  std::int64_t released = 0;
  std::int64_t refunded = 0;
  std::uint64_t disbursements = 0;  // net of reversals
  std::int64_t reserved = 0;        // requested and not yet paid
  // Every event that touched it, in seq order: its submission, decision,
  // payments, refunds, releases and their reversals (the view's trail).
  struct Touch {
    std::uint64_t seq = 0;
    EventType type = EventType::kProposalSubmitted;
    std::uint64_t reverses = 0;  // for an entry.reversed, the event it reverses
    bool operator==(const Touch&) const = default;
  };
  std::vector<Touch> trail;
  bool operator==(const Proposal&) const = default;
};

// A decision of the Board (decision.recorded) and what rests on it: the
// calls opened and the proposals approved and rejected under it.
struct Decision {
  std::string id;
  std::string meeting_on;
  std::string kind;  // call, approval, programme, terms or other
  std::string summary;
  std::uint64_t seq = 0;
  std::vector<std::string> calls;     // their ids, in the order opened
  std::vector<std::string> approved;  // proposals, in the order decided
  std::vector<std::string> rejected;
  std::int64_t approved_usd = 0;  // as the Board approved it, before releases and refunds
  bool operator==(const Decision&) const = default;
};

// A member of the Board (board.member.appointed): a country on a seat of
// its regional group for a term, perhaps sharing the seat with another
// country, perhaps co-chairing the Board. It sits on a day from `from`
// through `to` and before `left_on`.
// Two members from each UN regional group (DOMAIN.md); a shared seat is
// one seat.
inline constexpr std::size_t kBoardSeatsPerRegion = 2;

struct BoardMember {
  std::string id;
  std::string country;
  std::uint8_t region = 0;  // index in kRegions
  std::string seat;
  std::string from;
  std::string to;           // "" for a term without a set end
  std::string shared_with;  // "" for a seat of its own
  std::string co_chair_to;  // "" when it does not co-chair
  std::string left_on;      // "" while it has not left
  std::uint64_t seq = 0;
  // Whether it sits on `day`, and co-chairs then.
  bool sits_on(std::string_view day) const;
  bool co_chairs_on(std::string_view day) const { return !co_chair_to.empty() && sits_on(day) && day <= co_chair_to; }
  bool operator==(const BoardMember&) const = default;
};

// The fund's terms from a day on (terms.set): each setting applies to the
// events dated on or after `effective_on`, until terms of a later day.
struct Terms {
  std::string effective_on;
  std::string eligible_countries;   // ISO 3166-1 alpha-3 codes, sorted, space-separated; "" for any
  std::int64_t admin_fee_bps = 0;   // taken from each contribution as it is received
  std::int64_t dual_control_usd = 0;  // payments of this or more need a request; 0 for none
  std::uint64_t seq = 0;
  // Whether a proposal from `country` may be submitted under these terms.
  bool eligible(std::string_view country) const;
  bool operator==(const Terms&) const = default;
};

// A payment requested and not yet made nor cancelled: its amount is
// reserved against the proposal's allocation and the fund's cash.
struct PaymentRequest {
  std::string proposal;
  std::int64_t amount = 0;
  std::string requested_on;
  std::string actor;  // who requested it; another makes it
  std::uint64_t seq = 0;
  bool operator==(const PaymentRequest&) const = default;
};

// The fund's totals, in US cents but where a currency says otherwise.
// The money the fund holds comes from contributions (`received`) and other
// income, less its costs; it is either allocated (`approved`, of which
// `disbursed` is paid) or unallocated.
struct Totals {
  std::int64_t received = 0;  // contributions, net of reversals
  std::int64_t income = 0;    // income.received: interest, investment, other
  std::int64_t costs = 0;     // cost.charged: fees, direct costs, bank charges
  std::map<std::string, std::int64_t> income_by_kind;
  std::map<std::string, std::int64_t> costs_by_kind;
  std::vector<Terms> terms;  // by effective_on, each day once
  std::map<std::string, PaymentRequest> requests;  // by disbursement id
  std::int64_t reserved = 0;  // the requests' amounts together
  std::int64_t approved = 0;   // net of releases and refunds
  std::int64_t disbursed = 0;  // net of refunds
  // Sums that bound every other sum, checked for overflow on the way in.
  std::int64_t requested = 0;
  std::int64_t budgets = 0;
  std::map<std::string, std::int64_t> pledged_by_currency;
  std::map<std::string, std::int64_t> received_by_currency;
  std::map<std::string, std::int64_t> outstanding_by_currency;
  std::map<std::string, std::int64_t> earmarked_received;  // by programme
  std::array<RegionFigures, kRegionCount> regions{};
  // Counts of events; those of reversible types net of their reversals.
  std::uint64_t donors = 0, programmes = 0, pledges = 0, write_offs = 0, contributions = 0,
                calls = 0, proposals = 0, disbursements = 0, refunds = 0, releases = 0,
                reversals = 0, incomes = 0, charges = 0, payment_requests = 0, cancellations = 0,
                decisions = 0, appointments = 0, departures = 0;
  // The terms in force on `day`: those of the latest effective_on on or
  // before it; nullptr before the first (no restriction, no fee).
  const Terms* terms_on(std::string_view day) const;
  // What the fund has had to spend: contributions and income less costs.
  // Each part is checked for overflow on the way in, and costs never pass
  // the rest, so this cannot overflow.
  std::int64_t resources() const { return received + income - costs; }
  std::int64_t cash() const { return resources() - disbursed; }
  std::int64_t unallocated() const { return resources() - approved; }
  bool operator==(const Totals&) const = default;
};

// Encodings for snapshots. decode_* return nullopt for bytes that are not
// a whole, well-formed record.
std::string encode(const Donor& d);
std::string encode(const Programme& p);
std::string encode(const Call& c);
std::string encode(const Proposal& p);
std::string encode(const Decision& d);
std::string encode(const BoardMember& m);
std::string encode(const Totals& t);
std::optional<Donor> decode_donor(std::string_view bytes);
std::optional<Programme> decode_programme(std::string_view bytes);
std::optional<Call> decode_call(std::string_view bytes);
std::optional<Proposal> decode_proposal(std::string_view bytes);
std::optional<Decision> decode_decision(std::string_view bytes);
std::optional<BoardMember> decode_member(std::string_view bytes);
std::optional<Totals> decode_totals(std::string_view bytes);

}  // namespace fundledger
