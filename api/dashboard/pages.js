// The dashboard's pages (after core.js, in the same script): drawing the
// audited views as tables and inline SVG, the pages, and moving between
// them.

// --- drawing -----------------------------------------------------------------

function card(label, value, test) {
  return el('div', { class: 'card' }, el('div', { class: 'label' }, label), el('div', { class: 'value', 'data-test': test }, value));
}

function cell(text, attrs) { return el('td', attrs || {}, text); }
function numCell(text, test) { return el('td', { class: 'num', 'data-test': test }, text); }

// Horizontal bars: rows of {label, bars: [{value (0..1), class, title}]},
// with an optional marker (0..1) drawn across all rows.
function barChart(rows, { marker = null, markerLabel = '', legend = [] } = {}) {
  const rowHeight = 18 * Math.max(...rows.map(r => r.bars.length), 1) + 12;
  // Room on the right for the longest label beside a full bar.
  const labelWidth = 170, width = 900, plot = width - labelWidth - 250;
  const height = rows.length * rowHeight + 30;
  const s = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  rows.forEach((row, i) => {
    const y = 20 + i * rowHeight;
    s.append(svg('text', { x: labelWidth - 8, y: y + rowHeight / 2, 'text-anchor': 'end', class: 'axis' }, row.label));
    row.bars.forEach((b, j) => {
      const w = Math.max(0, Math.min(1, b.value)) * plot;
      const rect = svg('rect', { x: labelWidth, y: y + 4 + j * 18, width: w, height: 14, class: b.class });
      rect.append(svg('title', {}, b.title));
      s.append(rect);
      s.append(svg('text', { x: labelWidth + w + 4, y: y + 15 + j * 18, class: 'bar-label' }, b.text || ''));
    });
  });
  if (marker !== null) {
    const x = labelWidth + Math.min(1, marker) * plot;
    s.append(svg('line', { x1: x, x2: x, y1: 14, y2: height - 10, class: 'marker' }));
    s.append(svg('text', { x, y: 10, 'text-anchor': 'middle', class: 'axis' }, markerLabel));
  }
  const wrap = el('figure', { class: 'chart-wrap' }, s);
  if (legend.length) {
    wrap.append(el('figcaption', {}, ...legend.map(([cls, text]) => el('span', { class: 'legend ' + cls }, text))));
  }
  return wrap;
}

// --- pages -------------------------------------------------------------------

// The donors the page may show: every one for the fund's people, its own
// for a donor, none for the public.
async function readableDonors() {
  if (!state.token) return [];
  if (state.role !== 'donor') return (await view('/v1/donors')).view.donors;
  return [(await view('/v1/donors/' + encodeURIComponent(state.donor))).view];
}

// The kinds of income and cost, as the fund's statements name them.
const KIND_NAMES = {
  interest: 'Interest', investment: 'Investment income', other: 'Other', admin_fee: 'Administrative agent\'s fee',
  direct_cost: 'Direct costs', bank_charge: 'Bank charges',
};

async function showFund() {
  const [fund, list] = await Promise.all([view('/v1/fund'), readableDonors()]);
  const donors = { view: { donors: list } };
  $('fund-donors').hidden = list.length === 0;
  const f = fund.view;
  $('fund-cards').replaceChildren(
    card('Received', money(f.received, f.currency), 'fund-received'),
    card('Other income', money(f.income.total, f.currency), 'fund-income'),
    card('Costs', money(f.costs.total, f.currency), 'fund-costs'),
    card('Approved', money(f.approved, f.currency), 'fund-approved'),
    card('Disbursed', money(f.disbursed, f.currency), 'fund-disbursed'),
    card('Cash', money(f.cash, f.currency), 'fund-cash'),
    card('Unallocated', money(f.unallocated, f.currency), 'fund-unallocated'),
    card('Approved, not yet paid', money(f.undisbursed, f.currency), 'fund-undisbursed'),
    card('Requested, waiting for a second manager', money(f.requested_not_paid, f.currency), 'fund-requested'));
  $('fund-requests').replaceChildren(...(f.requests.length ? f.requests.map(r => requestLine(r, f.currency))
    : [el('li', {}, 'None: no payment is waiting.')]));
  $('fund-outstanding').replaceChildren(...(f.pledges_by_currency.length
    ? f.pledges_by_currency.map(c => el('li', { 'data-test': `outstanding-${c.currency}` },
        `${money(c.outstanding, c.currency)} outstanding of ${money(c.pledged, c.currency)} pledged`))
    : [el('li', {}, 'No pledges recorded.')]));
  const kindLines = (figures, what) => Object.entries(figures.by_kind).filter(([, a]) => toMinor(a, 2) !== 0n)
    .map(([kind, a]) => el('li', { 'data-test': `${what}-${kind}` }, `${KIND_NAMES[kind]}: ${money(a, f.currency)}`));
  const lines = [...kindLines(f.income, 'income'), ...kindLines(f.costs, 'cost')];
  $('fund-income-costs').replaceChildren(...(lines.length ? lines : [el('li', {}, 'No other income or costs recorded.')]));
  const rows = [], body = [];
  for (const d of donors.view.donors) {
    for (const c of d.currencies) {
      const n = places(c.pledged);
      const pledged = toMinor(c.pledged, n);
      // Received against pledges: what is neither outstanding nor written off.
      const paid = fromMinor(pledged - toMinor(c.outstanding, n) - toMinor(c.written_off, n), n);
      const unpledged = toMinor(c.unpledged, n) > 0n ? `, and ${money(c.unpledged, c.currency)} without a pledge` : '';
      rows.push({
        label: `${d.name} (${c.currency})`,
        bars: [
          { value: pledged > 0n ? 1 : 0, class: 'pledged', title: `Pledged ${money(c.pledged, c.currency)}`,
            text: pledged > 0n ? `${money(c.pledged, c.currency)} pledged` : '' },
          { value: pledged > 0n ? ratio(paid, c.pledged) : 0, class: 'received',
            title: `Received against pledges ${money(paid, c.currency)}`,
            text: pledged > 0n ? `${money(paid, c.currency)} received${unpledged}`
                               : `no pledge; ${money(c.received, c.currency)} received` },
        ],
      });
      body.push(el('tr', {},
        el('td', {}, d.name, ...(state.role === 'manager'
          ? [' ', recordLink('record a pledge', 'pledge.recorded', { donor: d.donor }), ' ',
             recordLink('record a contribution', 'contribution.received', { donor: d.donor }), ' ',
             recordLink('reverse a contribution', 'entry.reversed', { donor: d.donor })] : [])),
        cell(c.currency),
        numCell(grouped(c.pledged), `donor-${d.donor}-${c.currency}-pledged`),
        numCell(grouped(c.received), `donor-${d.donor}-${c.currency}-received`),
        numCell(grouped(c.written_off), `donor-${d.donor}-${c.currency}-written-off`),
        numCell(grouped(c.outstanding), `donor-${d.donor}-${c.currency}-outstanding`),
        numCell(money(d.received_usd, 'USD'), `donor-${d.donor}-received-usd`)));
    }
  }
  $('donor-chart').replaceChildren(barChart(rows, { legend: [['pledged', 'pledged'], ['received', 'received']] }));
  $('donor-table').tBodies[0].replaceChildren(...body);
}

async function showRegions() {
  const [regions, programmes] = await Promise.all([view('/v1/regions'), view('/v1/programmes')]);
  const r = regions.view;
  // The largest of the bars and the equal share sets the scale.
  const equal = fromMinor(toMinor(r.approved, 2) / 5n, 2);
  let top = r.approved === '0.00' ? '1.00' : equal;
  for (const g of r.regions) {
    for (const v of [g.approved, g.disbursed]) if (toMinor(v, 2) > toMinor(top, 2)) top = v;
  }
  $('region-chart').replaceChildren(barChart(r.regions.map(g => ({
    label: g.region,
    bars: [
      { value: ratio(g.approved, top), class: 'approved', title: `Approved ${money(g.approved, 'USD')}`, text: money(g.approved, 'USD') },
      { value: ratio(g.disbursed, top), class: 'disbursed', title: `Disbursed ${money(g.disbursed, 'USD')}`, text: money(g.disbursed, 'USD') },
    ],
  })), { marker: ratio(equal, top), markerLabel: `equal share ${money(equal, 'USD')}`,
         legend: [['approved', 'approved'], ['disbursed', 'disbursed'], ['marker', 'equal share (a fifth of all approved)']] }));
  $('region-table').tBodies[0].replaceChildren(...r.regions.map(g => el('tr', {},
    cell(g.region),
    numCell(money(g.requested, 'USD'), `region-${g.region}-requested`),
    numCell(money(g.approved, 'USD'), `region-${g.region}-approved`),
    numCell(money(g.disbursed, 'USD'), `region-${g.region}-disbursed`),
    numCell(percent(g.share), `region-${g.region}-share`),
    numCell(`${g.proposals.approved} approved, ${g.proposals.rejected} rejected, ${g.proposals.submitted} pending`, `region-${g.region}-proposals`))));

  const p = programmes.view.programmes;
  let ptop = '1.00';
  for (const g of p) for (const v of [g.approved, g.earmarked_received]) if (toMinor(v, 2) > toMinor(ptop, 2)) ptop = v;
  $('programme-chart').replaceChildren(barChart(p.map(g => ({
    label: g.name.length > 24 ? g.name.slice(0, 23) + '…' : g.name,
    bars: [
      { value: ratio(g.earmarked_received, ptop), class: 'earmarked', title: `Earmarked received ${money(g.earmarked_received, 'USD')}`, text: money(g.earmarked_received, 'USD') },
      { value: ratio(g.approved, ptop), class: 'approved', title: `Approved ${money(g.approved, 'USD')}`, text: money(g.approved, 'USD') },
    ],
  })), { legend: [['earmarked', 'earmarked money received'], ['approved', 'approved']] }));
  $('programme-table').tBodies[0].replaceChildren(...p.map(g => el('tr', {},
    cell(g.name),
    numCell(money(g.budget, 'USD'), `programme-${g.programme}-budget`),
    numCell(money(g.approved, 'USD'), `programme-${g.programme}-approved`),
    numCell(money(g.disbursed, 'USD'), `programme-${g.programme}-disbursed`),
    numCell(money(g.earmarked_received, 'USD'), `programme-${g.programme}-earmarked`))));
}

function proposalsText(p) {
  return `${p.total}: ${p.approved} approved, ${p.rejected} rejected, ${p.submitted} pending`;
}

async function showCalls() {
  const calls = await view('/v1/calls');
  $('call-table').tBodies[0].replaceChildren(...calls.view.calls.map(c => {
    const link = el('a', { href: '#calls/' + encodeURIComponent(c.call) }, c.title);
    return el('tr', {},
      cell(link), cell(c.status),
      numCell(money(c.budget, 'USD'), `call-${c.call}-budget`),
      numCell(money(c.requested, 'USD'), `call-${c.call}-requested`),
      numCell(money(c.approved, 'USD'), `call-${c.call}-approved`),
      numCell(money(c.disbursed, 'USD'), `call-${c.call}-disbursed`),
      numCell(money(c.remaining, 'USD'), `call-${c.call}-remaining`),
      cell(proposalsText(c.proposals), { 'data-test': `call-${c.call}-proposals` }));
  }));
  const id = state.callId || (calls.view.calls[0] && calls.view.calls[0].call);
  if (!id) { $('call-detail').hidden = true; return; }
  const call = (await view('/v1/calls/' + encodeURIComponent(id))).view;
  $('call-detail').hidden = false;
  $('call-title').textContent = `${call.title}: budget ${money(call.budget, 'USD')}, ${money(call.remaining, 'USD')} remaining`;
  let top = '1.00';
  for (const g of call.by_region) for (const v of [g.requested, g.approved]) if (toMinor(v, 2) > toMinor(top, 2)) top = v;
  $('call-chart').replaceChildren(barChart(call.by_region.map(g => ({
    label: g.region + (g.eligible ? '' : ' (not eligible)'),
    bars: [
      { value: ratio(g.requested, top), class: 'requested', title: `Requested ${money(g.requested, 'USD')}`, text: money(g.requested, 'USD') },
      { value: ratio(g.approved, top), class: 'approved', title: `Approved ${money(g.approved, 'USD')}`, text: money(g.approved, 'USD') },
      { value: ratio(g.disbursed, top), class: 'disbursed', title: `Disbursed ${money(g.disbursed, 'USD')}`, text: money(g.disbursed, 'USD') },
    ],
  })), { legend: [['requested', 'requested'], ['approved', 'approved'], ['disbursed', 'disbursed']] }));
  $('call-region-table').tBodies[0].replaceChildren(...call.by_region.map(g => el('tr', {},
    cell(g.region), cell(g.eligible ? 'yes' : 'no'),
    numCell(money(g.requested, 'USD'), `call-region-${g.region}-requested`),
    numCell(money(g.approved, 'USD'), `call-region-${g.region}-approved`),
    numCell(money(g.disbursed, 'USD'), `call-region-${g.region}-disbursed`),
    cell(proposalsText(g.proposals), { 'data-test': `call-region-${g.region}-proposals` }))));
}

// A payment requested and not yet made: what, for whom, since when, and a
// manager's way to make it (another manager than the one who asked) or
// cancel it.
function requestLine(r, currency) {
  return el('li', { 'data-test': `request-${r.disbursement}` },
    `${money(r.amount_usd, currency)} to `, el('a', { href: '#proposal/' + encodeURIComponent(r.proposal) }, r.proposal),
    `, requested on ${r.requested_on} (${r.disbursement})` + (r.requested_by ? ` by ${r.requested_by}` : ''),
    ...(state.role === 'manager' ? [' ', recordLink('make the payment', 'disbursement.made',
      { disbursement: r.disbursement, proposal: r.proposal, amount_usd: r.amount_usd }), ' ',
    recordLink('cancel', 'disbursement.cancelled', { disbursement: r.disbursement })] : []));
}

const EVENT_NAMES = {
  'proposal.submitted': 'Submitted',
  'proposal.approved': 'Approved',
  'proposal.rejected': 'Rejected',
  'disbursement.made': 'Payment',
  'refund.received': 'Refund',
  'allocation.released': 'Release',
  'disbursement.requested': 'Payment requested',
  'disbursement.cancelled': 'Request cancelled',
  'entry.reversed': 'Reversal',
};

function trailWhat(t) {
  const d = t.data;
  switch (t.type) {
    case 'proposal.submitted': return `${money(d.requested_usd, 'USD')} requested on ${d.submitted_on}`;
    case 'proposal.approved': return `${money(d.approved_usd, 'USD')} approved on ${d.decided_on} (${d.decision})`;
    case 'proposal.rejected': return `rejected on ${d.decided_on} (${d.decision}): ${d.reason}`;
    case 'disbursement.made': return `${money(d.amount_usd, 'USD')} paid on ${d.paid_on} (${d.disbursement})`;
    case 'refund.received': return `${money(d.amount_usd, 'USD')} returned on ${d.received_on} (${d.refund})`;
    case 'allocation.released': return `${money(d.amount_usd, 'USD')} released on ${d.released_on}: ${d.reason}`;
    case 'disbursement.requested':
      return `${money(d.amount_usd, 'USD')} requested on ${d.requested_on} (${d.disbursement}), for a second manager to pay`;
    case 'disbursement.cancelled': return `request ${d.disbursement} cancelled on ${d.cancelled_on}: ${d.reason}`;
    case 'entry.reversed':
      return `takes back event ${d.seq} (${(EVENT_NAMES[d.reverses] || d.reverses).toLowerCase()} of ` +
        `${money(d.amount_usd, 'USD')}) on ${d.reversed_on}: ${d.reason}`;
    default: return '';
  }
}

async function showProposal() {
  if (!state.proposalId) { $('proposal-detail').hidden = true; return; }
  $('proposal-id').value = state.proposalId;
  const p = (await view('/v1/proposals/' + encodeURIComponent(state.proposalId))).view;
  $('proposal-detail').hidden = false;
  $('proposal-title').replaceChildren(`${p.proposal}: ${p.applicant} (${p.country}, ${p.region}), ${p.status} `,
    p.status === 'approved' ? recordLink('record a payment', 'disbursement.made', { proposal: p.proposal })
      : p.status === 'submitted' ? recordLink('record the decision', 'proposal.approved', { proposal: p.proposal }) : '');
  $('proposal-cards').replaceChildren(
    card('Requested', money(p.requested, 'USD'), 'proposal-requested'),
    card('Approved', money(p.approved, 'USD'), 'proposal-approved'),
    card('Disbursed', money(p.disbursed, 'USD'), 'proposal-disbursed'),
    card('Not yet paid', money(p.undisbursed, 'USD'), 'proposal-undisbursed'),
    card('Requested, waiting', money(p.requested_not_paid, 'USD'), 'proposal-requested-not-paid'));
  $('proposal-requests').replaceChildren(...p.requests.map(r => requestLine(r, 'USD')));
  $('proposal-decision').replaceChildren(...(p.decision ? ['Decided on ' + p.decided_on + ' under the Board\'s decision ',
    el('a', { href: '#board/' + encodeURIComponent(p.decision), 'data-test': 'proposal-decision-link' }, p.decision)]
    : ['Not yet decided by the Board.']));
  // A reversal stands in the trail beside what it reverses: each says the other.
  const reversedBy = new Map(p.trail.filter(t => t.reverses).map(t => [t.reverses, t.seq]));
  const reversible = ['disbursement.made', 'refund.received', 'allocation.released'];
  $('trail-table').tBodies[0].replaceChildren(...p.trail.map(t => {
    return el('tr', { 'data-seq': String(t.seq) },
      cell(String(t.seq), { 'data-test': 'trail-seq' }), cell(EVENT_NAMES[t.type] || t.type),
      cell(t.recorded_at), cell(t.actor),
      el('td', { 'data-test': `trail-what-${t.seq}` }, trailWhat(t),
        ...(reversedBy.has(t.seq) ? [`; reversed by event ${reversedBy.get(t.seq)}`]
          : state.role === 'manager' && reversible.includes(t.type) ? [' ', recordLink('reverse', 'entry.reversed', { seq: t.seq })] : [])),
      el('td', {}, proofButton(t.seq)));
  }));
}

// A button that checks event `seq`'s inclusion proof in the page, and says
// what it found beside it.
function proofButton(seq) {
  const result = el('span', { 'data-test': `proof-${seq}` }, '');
  const button = el('button', { type: 'button', 'data-test': `check-${seq}` }, 'Check proof');
  button.addEventListener('click', async () => {
    result.textContent = 'checking…';
    result.className = '';
    try {
      const r = await checkInclusion(seq);
      result.textContent = r.text;
      result.className = r.ok === true ? 'good' : r.ok === false ? 'bad' : 'unknown';
    } catch (e) {
      result.textContent = 'failed: ' + e.message;
      result.className = 'bad';
    }
  });
  return el('span', {}, button, ' ', result);
}

async function showChain() {
  await loadCheckpoint();
  const c = state.checkpoint;
  const facts = [
    ['Tree size', grouped(String(c.tree_size)) + ' events', 'chain-size'],
    ['Last event recorded', c.last_recorded_at || '(none)', 'chain-time'],
    ['Root hash', c.root_hash, 'chain-root'],
    ['Chain hash', c.chain_hash, 'chain-hash'],
    ['Verifier key', state.key.verifierKey, 'chain-key'],
    ['Signature', c.verified === true ? 'verified in this browser (Ed25519, WebCrypto)'
      : c.verified === null ? 'not checked: this browser\'s WebCrypto has no Ed25519'
      : 'FAILED: ' + c.why, 'chain-signature'],
  ];
  $('chain-facts').replaceChildren(...facts.flatMap(([k, v, test]) => [el('dt', {}, k),
    el('dd', { 'data-test': test, class: test === 'chain-signature' ? (c.verified === true ? 'good' : c.verified === null ? 'unknown' : 'bad') : '' }, v)]));
  $('chain-note').textContent = c.note;
}

const SHOW = { fund: showFund, regions: showRegions, calls: showCalls, proposal: showProposal, chain: showChain,
               record: showRecord };

// --- navigation, sign-in, as-of ------------------------------------------------

function setHead(size) {
  state.head = size;
  $('as-of-range').max = String(size);
  $('as-of-seq').max = String(size);
  if (state.asOf === null) {
    $('as-of-range').value = String(size);
    $('as-of-seq').value = String(size);
  }
  $('as-of-status').textContent = state.asOf === null
    ? `Showing the ledger as it stands: ${grouped(String(size))} events.`
    : `Showing the ledger as it stood after event ${grouped(String(state.asOf))} of ${grouped(String(size))}.`;
}

function route() {
  const [page, arg] = (location.hash.slice(1) || 'fund').split('/');
  return { page: PAGES.includes(page) ? page : 'fund', arg: arg ? decodeURIComponent(arg) : null };
}

let rendering = 0;
async function render() {
  if (!state.token && !state.public) return;
  const { page, arg } = route();
  if (page === 'calls') state.callId = arg;
  if (page === 'proposal') state.proposalId = arg;
  if (page === 'board') state.decisionId = arg;
  for (const p of PAGES) $('page-' + p).hidden = p !== page;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.dataset.page === page);
  $('as-of').hidden = page === 'chain' || page === 'record';
  const mine = ++rendering;
  document.body.dataset.ready = '';
  clearErrors();
  try {
    if (!state.key) await loadKey();
    if (!state.role && state.token) await loadMe();
    await SHOW[page]();
    if (mine === rendering) setHead(state.head);
  } catch (e) {
    showError(e.message);
    if (e.status === 401) signOut('That token was refused: ' + e.message);
  } finally {
    if (mine === rendering) document.body.dataset.ready = page;
  }
}

// Who signed in: a manager gets the desk; a donor the pages of the fund's
// views and its own records; the public the views the fund opened.
async function loadMe() {
  const me = await api('/v1/me');
  state.role = me.role;
  state.donor = me.donor || null;
  $('signed-in-as').textContent = me.role === 'donor' ? `${me.name} (donor ${me.donor})` : `${me.name} (${me.role})`;
  showNav();
}

function showNav() {
  const open = page => state.token ? !(['proposal', 'board'].includes(page) && state.role === 'donor') : state.public.includes(
    { fund: 'fund', regions: 'regions', calls: 'calls', statements: 'statements' }[page]) || page === 'chain';
  for (const a of document.querySelectorAll('#nav a')) a.hidden = !open(a.dataset.page);
  $('nav-record').hidden = state.role !== 'manager';
  $('sign-out').textContent = state.token ? 'Sign out' : 'Sign in';
  $('nav').hidden = false;
}

// Without a token: the pages of the views the fund opened to the public,
// when it opened any.
async function openPublic() {
  let open = [];
  try {
    open = (await api('/v1/public')).public;
  } catch (_) { /* an older server: sign-in only */ }
  if (!open.length) return;
  state.public = open;
  $('sign-in').hidden = true;
  $('signed-in-as').textContent = 'public views';
  showNav();
  if (!state.public.includes(route().page)) location.hash = state.public.includes('fund') ? 'fund' : state.public[0];
  render();
}

// Links to the desk's form of `type`, with fields preset, for a manager.
function recordLink(text, type, preset) {
  if (state.role !== 'manager') return '';
  return el('a', { class: 'action', href: `#record/${type}/${encodeURIComponent(new URLSearchParams(preset).toString())}` }, text);
}

function signOut(message) {
  const wasPublic = !state.token && state.public;
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.role = null;
  state.donor = null;
  state.public = null;
  $('nav-record').hidden = true;
  $('signed-in-as').textContent = '';
  state.key = null;
  state.checkpoint = null;
  $('nav').hidden = true;
  $('as-of').hidden = true;
  for (const p of PAGES) $('page-' + p).hidden = true;
  $('sign-in').hidden = false;
  clearErrors();
  if (message) showError(message);
  if (!wasPublic && !message) openPublic();
}

function signedIn(token) {
  state.token = token;
  state.public = null;
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  render();
}

function setAsOf(value) {
  if (value === null || value === '' || Number(value) >= state.head) {
    state.asOf = null;
  } else {
    state.asOf = Math.max(0, Math.floor(Number(value)));
  }
  $('as-of-range').value = String(state.asOf === null ? state.head : state.asOf);
  $('as-of-seq').value = String(state.asOf === null ? state.head : state.asOf);
  render();
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', e => {
    e.preventDefault();
    const token = $('token').value.trim();
    $('token').value = '';
    sessionStorage.setItem(TOKEN_KEY, token);
    signedIn(token);
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  $('proposal-form').addEventListener('submit', e => {
    e.preventDefault();
    location.hash = 'proposal/' + encodeURIComponent($('proposal-id').value.trim());
  });
  $('as-of-range').addEventListener('change', e => setAsOf(e.target.value));
  $('as-of-seq').addEventListener('change', e => setAsOf(e.target.value));
  $('as-of-latest').addEventListener('click', () => setAsOf(null));
  window.addEventListener('hashchange', render);
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) signedIn(kept);
  else openPublic();
});
