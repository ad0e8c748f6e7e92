// The fund's dashboard: reads the audited views of the JSON API with the
// token a person signs in with (kept in this tab's session storage only),
// draws them as tables and inline SVG, and checks what it can itself: the
// checkpoint's signature, each view's signature, and the inclusion proof of
// each event of a proposal's trail, with WebCrypto's SHA-256 and Ed25519.
// Amounts are decimal strings and are only ever formatted as strings here;
// sums shown are done on integers (BigInt), never in floating point.
'use strict';

const TOKEN_KEY = 'fundledger.token';
const REGIONS = ['AFR', 'APG', 'EEG', 'GRULAC', 'WEOG'];
const PAGES = ['fund', 'regions', 'calls', 'proposal', 'chain'];

const state = {
  token: null,
  head: 0,          // the log's size when last asked
  asOf: null,       // null: the head
  key: null,        // {origin, keyId, publicKey (bytes), cryptoKey or null}
  ed25519: null,    // true, false (the browser has none), null (not yet known)
  checkpoint: null, // {tree_size, root_hash, note, verified}
  callId: null,
  proposalId: null,
};

// --- small helpers ---------------------------------------------------------

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// "2565000.00" -> "2,565,000.00"; "-100.00" -> "-100.00" grouped too.
function grouped(decimal) {
  let s = String(decimal);
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  const [whole, fraction] = s.split('.');
  let out = '';
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) out += ',';
    out += whole[i];
  }
  return (negative ? '-' : '') + out + (fraction !== undefined ? '.' + fraction : '');
}
function money(decimal, currency) { return grouped(decimal) + ' ' + currency; }

// Decimal strings as integers of their smallest unit, and back.
function toMinor(decimal, places) {
  const [whole, fraction = ''] = String(decimal).split('.');
  return BigInt(whole + fraction.padEnd(places, '0'));
}
function fromMinor(minor, places) {
  const negative = minor < 0n;
  let s = (negative ? -minor : minor).toString().padStart(places + 1, '0');
  if (places > 0) s = s.slice(0, s.length - places) + '.' + s.slice(s.length - places);
  return (negative ? '-' : '') + s;
}
function places(decimal) { const dot = String(decimal).indexOf('.'); return dot < 0 ? 0 : decimal.length - dot - 1; }

// "0.3402" -> "34.02 %"
function percent(share) {
  const n = Number(toMinor(share, 4));  // ten-thousandths, an integer
  return (Math.floor(n / 100)) + '.' + String(n % 100).padStart(2, '0') + ' %';
}

// A bar's length: a ratio of two amounts, for drawing only.
function ratio(part, whole) {
  const w = toMinor(whole, 2);
  if (w <= 0n) return 0;
  return Number((toMinor(part, 2) * 10000n) / w) / 10000;
}

function showError(message) {
  $('errors').append(el('p', { class: 'error' }, message));
}
function clearErrors() { $('errors').replaceChildren(); }

class ApiError extends Error {}

async function api(path, { optional = false } = {}) {
  const headers = state.token ? { Authorization: 'Bearer ' + state.token } : {};
  let response;
  try {
    response = await fetch(path, { headers, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(`GET ${path} failed: the server could not be reached (${e.message})`);
  }
  if (!response.ok) {
    let code = '', message = '';
    try {
      const body = await response.json();
      code = body.error.code;
      message = body.error.message;
    } catch (_) { /* not JSON */ }
    if (optional && response.status === 403) return null;
    const error = new ApiError(`GET ${path} failed: ${response.status} ${code}${message ? ': ' + message : ''}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function withAsOf(path) {
  if (state.asOf === null) return path;
  return path + (path.includes('?') ? '&' : '?') + 'as_of=' + state.asOf;
}

// --- bytes, hashes, signatures ----------------------------------------------

const utf8 = new TextEncoder();
function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}
function bytesToHex(bytes) { return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(''); }
function base64ToBytes(text) { return Uint8Array.from(atob(text), c => c.charCodeAt(0)); }
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
function sameBytes(a, b) { return a.length === b.length && a.every((x, i) => x === b[i]); }
async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)); }

// RFC 8785 for what the ledger's JSON holds (objects, arrays, strings,
// integers, booleans, null): keys sorted by UTF-16 code units, which is
// what Array.prototype.sort does, and JSON.stringify's escaping.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map(k => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

// The verifier key "origin+keyid+base64(0x01 || public key)", checked.
async function loadKey() {
  const k = await api('/v1/audit/key');
  // A name holds no '+'; base64 may.
  const first = k.verifier_key.indexOf('+'), second = k.verifier_key.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new ApiError('the published verifier key is malformed');
  const origin = k.verifier_key.slice(0, first);
  const keyIdHex = k.verifier_key.slice(first + 1, second);
  const raw = base64ToBytes(k.verifier_key.slice(second + 1));
  const publicKey = raw.slice(1);
  const id = (await sha256(concat(utf8.encode(origin), new Uint8Array([0x0a, 0x01]), publicKey))).slice(0, 4);
  if (raw[0] !== 1 || publicKey.length !== 32 || bytesToHex(id) !== keyIdHex) {
    throw new ApiError('the published verifier key is malformed: its key id does not match its key');
  }
  let cryptoKey = null;
  try {
    cryptoKey = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    state.ed25519 = true;
  } catch (_) {
    state.ed25519 = false;  // this browser's WebCrypto has no Ed25519
  }
  state.key = { origin, keyId: id, publicKey, cryptoKey, verifierKey: k.verifier_key };
}

async function ed25519Verifies(signature, message) {
  if (!state.key || !state.key.cryptoKey) return null;
  return crypto.subtle.verify({ name: 'Ed25519' }, state.key.cryptoKey, signature, message);
}

// A C2SP signed note: its text, and whether a signature by the log's key
// over that text verifies (null: the browser cannot check Ed25519).
async function checkNote(note) {
  const split = note.indexOf('\n\n');
  if (split < 0) return { ok: false, why: 'the note has no signature block' };
  const text = note.slice(0, split + 1);
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== state.key.origin) continue;
    const blob = base64ToBytes(m[2]);
    if (!sameBytes(blob.slice(0, 4), state.key.keyId)) continue;
    const verified = await ed25519Verifies(blob.slice(4), utf8.encode(text));
    if (verified === null) return { ok: null, text };
    return verified ? { ok: true, text } : { ok: false, why: 'the signature does not verify', text };
  }
  return { ok: false, why: 'no signature by the published key' };
}

async function loadCheckpoint() {
  const c = await api('/v1/audit/checkpoint');
  const checked = await checkNote(c.note);
  let ok = checked.ok;
  let why = checked.why || '';
  if (checked.text) {
    const [origin, size, root] = checked.text.split('\n');
    if (origin !== state.key.origin || Number(size) !== c.tree_size || bytesToHex(base64ToBytes(root)) !== c.root_hash) {
      ok = false;
      why = 'the note does not say the tree size and root the server reports';
    }
  }
  state.checkpoint = { ...c, verified: ok, why };
}

// RFC 9162, 2.1.3.2: the root an inclusion proof gives.
async function rootFromInclusion(index, size, leaf, path) {
  if (index >= size) return null;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if ((fn & 1) === 1 || fn === sn) {
      r = await sha256(concat(new Uint8Array([1]), p, r));
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      r = await sha256(concat(new Uint8Array([1]), r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// Checks that event `seq` is in the signed checkpoint: its inclusion proof
// leads to the signed root; and, where the token may read events, that
// the event's own bytes hash to the proven leaf.
async function checkInclusion(seq) {
  // A checkpoint signed after the page fetched its own may hold the event.
  if (!state.checkpoint || seq > state.checkpoint.tree_size) await loadCheckpoint();
  const cp = state.checkpoint;
  if (cp.verified === false) return { ok: false, text: 'failed: the checkpoint\'s signature does not verify' };
  if (seq > cp.tree_size) return { ok: null, text: `not yet in a signed checkpoint (it holds ${cp.tree_size} events)` };
  const proof = await api(`/v1/audit/inclusion?seq=${seq}&tree_size=${cp.tree_size}`);
  if (proof.seq !== seq || proof.tree_size !== cp.tree_size) return { ok: false, text: 'failed: the proof is for another event or size' };
  const root = await rootFromInclusion(seq - 1, cp.tree_size, hexToBytes(proof.leaf_hash), proof.path.map(hexToBytes));
  if (root === null || bytesToHex(root) !== cp.root_hash) {
    return { ok: false, text: 'failed: the proof does not lead to the signed root' };
  }
  let text = `verified: in the checkpoint of ${cp.tree_size} events`;
  const event = await api(`/v1/events/${seq}`, { optional: true });
  if (event) {
    const { leaf_hash, chain_hash, ...body } = event;
    const leaf = await sha256(concat(new Uint8Array([0]), utf8.encode(canonical(body))));
    if (bytesToHex(leaf) !== proof.leaf_hash) return { ok: false, text: 'failed: the event does not hash to the proven leaf' };
    text += ', and the event hashes to its leaf';
  }
  if (cp.verified === null) text += ' (the checkpoint\'s signature not checked: this browser has no Ed25519)';
  return { ok: true, text };
}

// An audited view: its signature over {"as_of","view"} checked.
async function view(path) {
  const v = await api(withAsOf(path));
  const verified = await ed25519Verifies(base64ToBytes(v.signature), utf8.encode(canonical({ as_of: v.as_of, view: v.view })));
  const s = $('view-signature');
  if (verified === null) {
    s.textContent = 'View signature not checked: this browser has no Ed25519 in WebCrypto.';
    s.className = 'unknown';
  } else if (!verified) {
    s.textContent = `View signature FAILED for ${path}.`;
    s.className = 'bad';
  } else if (s.className !== 'bad') {
    s.textContent = 'Views signed by the log key: verified.';
    s.className = 'good';
  }
  if (state.asOf === null) setHead(v.as_of.tree_size);
  return v;
}

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

async function showFund() {
  const [fund, donors] = await Promise.all([view('/v1/fund'), view('/v1/donors')]);
  const f = fund.view;
  $('fund-cards').replaceChildren(
    card('Received', money(f.received, f.currency), 'fund-received'),
    card('Approved', money(f.approved, f.currency), 'fund-approved'),
    card('Disbursed', money(f.disbursed, f.currency), 'fund-disbursed'),
    card('Cash', money(f.cash, f.currency), 'fund-cash'),
    card('Unallocated', money(f.unallocated, f.currency), 'fund-unallocated'),
    card('Approved, not yet paid', money(f.undisbursed, f.currency), 'fund-undisbursed'));
  $('fund-outstanding').replaceChildren(...(f.pledges_by_currency.length
    ? f.pledges_by_currency.map(c => el('li', { 'data-test': `outstanding-${c.currency}` },
        `${money(c.outstanding, c.currency)} outstanding of ${money(c.pledged, c.currency)} pledged`))
    : [el('li', {}, 'No pledges recorded.')]));
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
        cell(d.name), cell(c.currency),
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

const EVENT_NAMES = {
  'proposal.submitted': 'Submitted',
  'proposal.approved': 'Approved',
  'proposal.rejected': 'Rejected',
  'disbursement.made': 'Payment',
  'refund.received': 'Refund',
  'allocation.released': 'Release',
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
    default: return '';
  }
}

async function showProposal() {
  if (!state.proposalId) { $('proposal-detail').hidden = true; return; }
  $('proposal-id').value = state.proposalId;
  const p = (await view('/v1/proposals/' + encodeURIComponent(state.proposalId))).view;
  $('proposal-detail').hidden = false;
  $('proposal-title').textContent = `${p.proposal}: ${p.applicant} (${p.country}, ${p.region}), ${p.status}`;
  $('proposal-cards').replaceChildren(
    card('Requested', money(p.requested, 'USD'), 'proposal-requested'),
    card('Approved', money(p.approved, 'USD'), 'proposal-approved'),
    card('Disbursed', money(p.disbursed, 'USD'), 'proposal-disbursed'),
    card('Not yet paid', money(p.undisbursed, 'USD'), 'proposal-undisbursed'));
  $('trail-table').tBodies[0].replaceChildren(...p.trail.map(t => {
    const result = el('span', { 'data-test': `proof-${t.seq}` }, '');
    const button = el('button', { type: 'button', 'data-test': `check-${t.seq}` }, 'Check proof');
    button.addEventListener('click', async () => {
      result.textContent = 'checking…';
      result.className = '';
      try {
        const r = await checkInclusion(t.seq);
        result.textContent = r.text;
        result.className = r.ok === true ? 'good' : r.ok === false ? 'bad' : 'unknown';
      } catch (e) {
        result.textContent = 'failed: ' + e.message;
        result.className = 'bad';
      }
    });
    return el('tr', { 'data-seq': String(t.seq) },
      cell(String(t.seq), { 'data-test': 'trail-seq' }), cell(EVENT_NAMES[t.type] || t.type),
      cell(t.recorded_at), cell(t.actor), cell(trailWhat(t)), el('td', {}, button, ' ', result));
  }));
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

const SHOW = { fund: showFund, regions: showRegions, calls: showCalls, proposal: showProposal, chain: showChain };

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
  if (!state.token) return;
  const { page, arg } = route();
  if (page === 'calls') state.callId = arg;
  if (page === 'proposal') state.proposalId = arg;
  for (const p of PAGES) $('page-' + p).hidden = p !== page;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.dataset.page === page);
  $('as-of').hidden = page === 'chain';
  const mine = ++rendering;
  document.body.dataset.ready = '';
  clearErrors();
  try {
    if (!state.key) await loadKey();
    await SHOW[page]();
    if (mine === rendering) setHead(state.head);
  } catch (e) {
    showError(e.message);
    if (e.status === 401) signOut('That token was refused: ' + e.message);
  } finally {
    if (mine === rendering) document.body.dataset.ready = page;
  }
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.key = null;
  state.checkpoint = null;
  $('nav').hidden = true;
  $('as-of').hidden = true;
  for (const p of PAGES) $('page-' + p).hidden = true;
  $('sign-in').hidden = false;
  clearErrors();
  if (message) showError(message);
}

function signedIn(token) {
  state.token = token;
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
});
