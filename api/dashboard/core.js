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
const PAGES = ['fund', 'regions', 'calls', 'statements', 'board', 'proposal', 'chain', 'record'];

const state = {
  token: null,
  role: null,       // the token's role, from /v1/me
  donor: null,      // a donor's token: its donor
  public: null,     // without a token: the views the fund opened to the public (/v1/public)
  head: 0,          // the log's size when last asked
  asOf: null,       // null: the head
  key: null,        // {origin, keyId, publicKey (bytes), cryptoKey or null}
  ed25519: null,    // true, false (the browser has none), null (not yet known)
  checkpoint: null, // {tree_size, root_hash, note, verified}
  callId: null,
  proposalId: null,
  decisionId: null,
};

// --- small helpers ---------------------------------------------------------

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-') || k.startsWith('aria-')) e.setAttribute(k, v);
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
function usd(decimal) { return money(decimal, 'USD'); }

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

