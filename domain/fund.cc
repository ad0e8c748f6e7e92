#include "domain/fund.h"

#include "util/codec.h"

namespace fundledger {
namespace {

void put(Encoder& e, const RegionFigures& r) {
  e.u64(r.proposals);
  for (std::uint64_t n : r.by_status) e.u64(n);
  e.i64(r.requested).i64(r.approved).i64(r.disbursed);
}

RegionFigures get_region(Decoder& d) {
  RegionFigures r;
  r.proposals = d.u64();
  for (std::uint64_t& n : r.by_status) n = d.u64();
  r.requested = d.i64();
  r.approved = d.i64();
  r.disbursed = d.i64();
  return r;
}

void put(Encoder& e, const std::map<std::string, std::int64_t>& m) {
  e.u64(m.size());
  for (const auto& [k, v] : m) e.str(k).i64(v);
}

std::map<std::string, std::int64_t> get_map(Decoder& d) {
  std::map<std::string, std::int64_t> m;
  const std::uint64_t n = d.u64();
  for (std::uint64_t i = 0; i < n && !d.failed(); ++i) {
    std::string k = d.str();
    m[k] = d.i64();
  }
  return m;
}

void put(Encoder& e, const std::vector<std::string>& ids) {
  e.u64(ids.size());
  for (const std::string& id : ids) e.str(id);
}

std::vector<std::string> get_ids(Decoder& d) {
  std::vector<std::string> ids;
  const std::uint64_t n = d.u64();
  for (std::uint64_t i = 0; i < n && !d.failed(); ++i) ids.push_back(d.str());
  return ids;
}

template <typename T>
std::optional<T> finished(Decoder& d, T value) {
  if (!d.done()) return std::nullopt;
  return value;
}

bool version_ok(Decoder& d) { return d.u64() == kRecordVersion; }

}  // namespace

std::string_view status_name(ProposalStatus s) {
  switch (s) {
    case ProposalStatus::kSubmitted: return "submitted";
    case ProposalStatus::kApproved: return "approved";
    case ProposalStatus::kRejected: return "rejected";
  }
  return "submitted";
}

Pledge* Donor::pledge(std::string_view id) {
  for (Pledge& p : pledges) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const Pledge* Donor::pledge(std::string_view id) const {
  return const_cast<Donor*>(this)->pledge(id);
}

// Each encoder reserves about what it writes: a string that grows is
// copied each time it does.
std::string encode(const Donor& d) {
  std::string out;
  out.reserve(96 + 32 * d.currencies.size() + 64 * d.pledges.size());
  Encoder e(out);
  e.u64(kRecordVersion).str(d.id).str(d.name).str(d.kind).str(d.country).u64(d.seq);
  e.u64(d.currencies.size());
  for (const auto& [currency, f] : d.currencies) {
    e.str(currency).i64(f.pledged).i64(f.received).i64(f.unpledged).i64(f.written_off).i64(f.outstanding);
  }
  e.i64(d.received_usd).u64(d.contributions).u64(d.pledges.size());
  for (const Pledge& p : d.pledges) {
    e.str(p.id).str(p.currency).u64(static_cast<std::uint64_t>(p.minor_units));
    e.i64(p.amount).i64(p.received).i64(p.written_off);
    e.str(p.programme).str(p.pledged_on).str(p.due_on).u64(p.seq);
  }
  e.u64(d.reversals.size());
  for (const Reversal& r : d.reversals) e.u64(r.seq).u64(r.reverses).u64(static_cast<std::uint64_t>(r.type));
  return out;
}

std::optional<Donor> decode_donor(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  Donor x;
  x.id = d.str();
  x.name = d.str();
  x.kind = d.str();
  x.country = d.str();
  x.seq = d.u64();
  const std::uint64_t currencies = d.u64();
  for (std::uint64_t i = 0; i < currencies && !d.failed(); ++i) {
    std::string c = d.str();
    CurrencyFigures& f = x.currencies[c];
    f.pledged = d.i64();
    f.received = d.i64();
    f.unpledged = d.i64();
    f.written_off = d.i64();
    f.outstanding = d.i64();
  }
  x.received_usd = d.i64();
  x.contributions = d.u64();
  const std::uint64_t pledges = d.u64();
  for (std::uint64_t i = 0; i < pledges && !d.failed(); ++i) {
    Pledge p;
    p.id = d.str();
    p.currency = d.str();
    p.minor_units = static_cast<int>(d.u64());
    p.amount = d.i64();
    p.received = d.i64();
    p.written_off = d.i64();
    p.programme = d.str();
    p.pledged_on = d.str();
    p.due_on = d.str();
    p.seq = d.u64();
    x.pledges.push_back(std::move(p));
  }
  const std::uint64_t reversals = d.u64();
  for (std::uint64_t i = 0; i < reversals && !d.failed(); ++i) {
    Reversal r;
    r.seq = d.u64();
    r.reverses = d.u64();
    const std::uint64_t type = d.u64();
    if (type >= kEventTypeCount) return std::nullopt;
    r.type = static_cast<EventType>(type);
    x.reversals.push_back(r);
  }
  return finished(d, std::move(x));
}

std::string encode(const Programme& p) {
  std::string out;
  out.reserve(256);
  Encoder e(out);
  e.u64(kRecordVersion).str(p.id).str(p.name).u64(p.seq).u64(p.calls);
  e.i64(p.budget).i64(p.requested).i64(p.approved).i64(p.disbursed).i64(p.earmarked_received);
  return out;
}

std::optional<Programme> decode_programme(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  Programme p;
  p.id = d.str();
  p.name = d.str();
  p.seq = d.u64();
  p.calls = d.u64();
  p.budget = d.i64();
  p.requested = d.i64();
  p.approved = d.i64();
  p.disbursed = d.i64();
  p.earmarked_received = d.i64();
  return finished(d, std::move(p));
}

std::string encode(const Call& c) {
  std::string out;
  out.reserve(256 + 16 * c.proposals.size());
  Encoder e(out);
  e.u64(kRecordVersion).str(c.id).str(c.title).str(c.programme).str(c.opened_on);
  e.str(c.closes_on).str(c.closed_on).str(c.decision).u64(c.regions).u64(c.seq).i64(c.budget);
  put(e, c.total);
  for (const RegionFigures& r : c.by_region) put(e, r);
  put(e, c.proposals);
  return out;
}

std::optional<Call> decode_call(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  Call c;
  c.id = d.str();
  c.title = d.str();
  c.programme = d.str();
  c.opened_on = d.str();
  c.closes_on = d.str();
  c.closed_on = d.str();
  c.decision = d.str();
  c.regions = static_cast<std::uint8_t>(d.u64());
  c.seq = d.u64();
  c.budget = d.i64();
  c.total = get_region(d);
  for (RegionFigures& r : c.by_region) r = get_region(d);
  c.proposals = get_ids(d);
  return finished(d, std::move(c));
}

std::string encode(const Decision& x) {
  std::string out;
  out.reserve(96 + x.summary.size() + 16 * (x.calls.size() + x.approved.size() + x.rejected.size()));
  Encoder e(out);
  e.u64(kRecordVersion).str(x.id).str(x.meeting_on).str(x.kind).str(x.summary).u64(x.seq);
  put(e, x.calls);
  put(e, x.approved);
  put(e, x.rejected);
  e.i64(x.approved_usd);
  return out;
}

std::optional<Decision> decode_decision(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  Decision x;
  x.id = d.str();
  x.meeting_on = d.str();
  x.kind = d.str();
  x.summary = d.str();
  x.seq = d.u64();
  x.calls = get_ids(d);
  x.approved = get_ids(d);
  x.rejected = get_ids(d);
  x.approved_usd = d.i64();
  return finished(d, std::move(x));
}

bool BoardMember::sits_on(std::string_view day) const {
  return from <= day && (to.empty() || day <= to) && (left_on.empty() || day < left_on);
}

std::string encode(const BoardMember& m) {
  std::string out;
  out.reserve(96);
  Encoder e(out);
  e.u64(kRecordVersion).str(m.id).str(m.country).u64(m.region).str(m.seat).str(m.from).str(m.to);
  e.str(m.shared_with).str(m.co_chair_to).str(m.left_on).u64(m.seq);
  return out;
}

std::optional<BoardMember> decode_member(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  BoardMember m;
  m.id = d.str();
  m.country = d.str();
  m.region = static_cast<std::uint8_t>(d.u64());
  m.seat = d.str();
  m.from = d.str();
  m.to = d.str();
  m.shared_with = d.str();
  m.co_chair_to = d.str();
  m.left_on = d.str();
  m.seq = d.u64();
  return finished(d, std::move(m));
}

std::string encode(const Proposal& p) {
  std::string out;
  out.reserve(128 + p.id.size() + p.call.size() + p.applicant.size() + p.focal_point.size() +
              p.decision.size() + p.reason.size());
  Encoder e(out);
  e.u64(kRecordVersion).str(p.id).str(p.call).str(p.applicant).str(p.country).u64(p.region);
  e.str(p.focal_point).str(p.submitted_on).u64(p.seq).i64(p.requested);
  e.u64(static_cast<std::uint64_t>(p.status)).str(p.decision).str(p.decided_on).str(p.reason);
  e.i64(p.approved).i64(p.approved_initial).i64(p.disbursed).i64(p.released).i64(p.refunded);
  e.u64(p.disbursements).i64(p.reserved);
  e.u64(p.trail.size());
  for (const Proposal::Touch& t : p.trail) {
    e.u64(t.seq).u64(static_cast<std::uint64_t>(t.type)).u64(t.reverses);
  }
  return out;
}

std::optional<Proposal> decode_proposal(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  Proposal p;
  p.id = d.str();
  p.call = d.str();
  p.applicant = d.str();
  p.country = d.str();
  p.region = static_cast<std::uint8_t>(d.u64());
  p.focal_point = d.str();
  p.submitted_on = d.str();
  p.seq = d.u64();
  p.requested = d.i64();
  const std::uint64_t status = d.u64();
  if (status > 2 || p.region >= kRegionCount) return std::nullopt;
  p.status = static_cast<ProposalStatus>(status);
  p.decision = d.str();
  p.decided_on = d.str();
  p.reason = d.str();
  p.approved = d.i64();
  p.approved_initial = d.i64();
  p.disbursed = d.i64();
  p.released = d.i64();
  p.refunded = d.i64();
  p.disbursements = d.u64();
  p.reserved = d.i64();
  const std::uint64_t touches = d.u64();
  for (std::uint64_t i = 0; i < touches && !d.failed(); ++i) {
    Proposal::Touch t;
    t.seq = d.u64();
    const std::uint64_t type = d.u64();
    if (type >= kEventTypeCount) return std::nullopt;
    t.type = static_cast<EventType>(type);
    t.reverses = d.u64();
    p.trail.push_back(t);
  }
  return finished(d, std::move(p));
}

bool Terms::eligible(std::string_view country) const {
  if (eligible_countries.empty()) return true;
  for (std::size_t at = eligible_countries.find(country); at != std::string::npos;
       at = eligible_countries.find(country, at + 1)) {
    if (at % 4 == 0) return true;  // each code is three letters and a space
  }
  return false;
}

const Terms* Totals::terms_on(std::string_view day) const {
  const Terms* in_force = nullptr;
  for (const Terms& t : terms) {
    if (t.effective_on > day) break;
    in_force = &t;
  }
  return in_force;
}

std::string encode(const Totals& t) {
  std::string out;
  out.reserve(512);
  Encoder e(out);
  e.u64(kRecordVersion).i64(t.received).i64(t.approved).i64(t.disbursed);
  e.i64(t.requested).i64(t.budgets);
  put(e, t.pledged_by_currency);
  put(e, t.received_by_currency);
  put(e, t.outstanding_by_currency);
  put(e, t.earmarked_received);
  e.i64(t.income).i64(t.costs);
  put(e, t.income_by_kind);
  put(e, t.costs_by_kind);
  e.u64(t.terms.size());
  for (const Terms& terms : t.terms) {
    e.str(terms.effective_on).str(terms.eligible_countries).i64(terms.admin_fee_bps).i64(terms.dual_control_usd);
    e.u64(terms.seq);
  }
  e.u64(t.requests.size());
  for (const auto& [id, r] : t.requests) e.str(id).str(r.proposal).i64(r.amount).str(r.requested_on).str(r.actor).u64(r.seq);
  e.i64(t.reserved);
  for (const RegionFigures& r : t.regions) put(e, r);
  for (std::uint64_t n : {t.donors, t.programmes, t.pledges, t.write_offs, t.contributions, t.calls, t.proposals,
                          t.disbursements, t.refunds, t.releases, t.reversals, t.incomes, t.charges,
                          t.payment_requests, t.cancellations, t.decisions, t.appointments,
                          t.departures}) {
    e.u64(n);
  }
  return out;
}

std::optional<Totals> decode_totals(std::string_view bytes) {
  Decoder d(bytes);
  if (!version_ok(d)) return std::nullopt;
  Totals t;
  t.received = d.i64();
  t.approved = d.i64();
  t.disbursed = d.i64();
  t.requested = d.i64();
  t.budgets = d.i64();
  t.pledged_by_currency = get_map(d);
  t.received_by_currency = get_map(d);
  t.outstanding_by_currency = get_map(d);
  t.earmarked_received = get_map(d);
  t.income = d.i64();
  t.costs = d.i64();
  t.income_by_kind = get_map(d);
  t.costs_by_kind = get_map(d);
  const std::uint64_t terms = d.u64();
  for (std::uint64_t i = 0; i < terms && !d.failed(); ++i) {
    Terms& set = t.terms.emplace_back();
    set.effective_on = d.str();
    set.eligible_countries = d.str();
    set.admin_fee_bps = d.i64();
    set.dual_control_usd = d.i64();
    set.seq = d.u64();
  }
  const std::uint64_t requests = d.u64();
  for (std::uint64_t i = 0; i < requests && !d.failed(); ++i) {
    std::string id = d.str();
    PaymentRequest& r = t.requests[std::move(id)];
    r.proposal = d.str();
    r.amount = d.i64();
    r.requested_on = d.str();
    r.actor = d.str();
    r.seq = d.u64();
  }
  t.reserved = d.i64();
  for (RegionFigures& r : t.regions) r = get_region(d);
  for (std::uint64_t* n : {&t.donors, &t.programmes, &t.pledges, &t.write_offs, &t.contributions, &t.calls,
                           &t.proposals, &t.disbursements, &t.refunds, &t.releases, &t.reversals, &t.incomes,
                           &t.charges, &t.payment_requests, &t.cancellations, &t.decisions,
                           &t.appointments, &t.departures}) {
    *n = d.u64();
  }
  return finished(d, std::move(t));
}

}  // namespace fundledger
