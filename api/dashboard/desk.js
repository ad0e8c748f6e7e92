// The manager's desk (after pages.js, in the same script): a form for each
// event type of SPEC 2, built from GET /v1/reference (each type's fields
// and their kinds), with references chosen from what the ledger holds; a
// preview by POST /v1/events?dry_run=true, in words; the post, with its
// receipt and a proof one click away. Amounts are typed as an officer
// types them ("2,500,000.00", "2500000") and sent as SPEC 1.3's string.

const DESK_TYPES = {
  'donor.registered': { label: 'Register a donor', prefix: 'donor', key: ['donor'] },
  'programme.registered': { label: 'Register a programme', prefix: 'programme', key: ['programme'] },
  'pledge.recorded': { label: 'Record a pledge', prefix: 'pledge', key: ['pledge'] },
  'pledge.written_off': { label: 'Write off part of a pledge', prefix: 'write-off', key: ['pledge', 'written_off_on'] },
  'contribution.received': { label: 'Record a contribution received', prefix: 'contribution', key: ['contribution'] },
  'call.opened': { label: 'Open a call for proposals', prefix: 'call', key: ['call'] },
  'call.closed': { label: 'Close a call', prefix: 'call-closed', key: ['call'] },
  'proposal.submitted': { label: 'Record a proposal submitted', prefix: 'proposal', key: ['proposal'] },
  'proposal.approved': { label: 'Record the Board\'s approval', prefix: 'approval', key: ['proposal'] },
  'proposal.rejected': { label: 'Record the Board\'s rejection', prefix: 'rejection', key: ['proposal'] },
  'disbursement.made': { label: 'Record a payment', prefix: 'disbursement', key: ['disbursement'] },
  'refund.received': { label: 'Record a refund received', prefix: 'refund', key: ['refund'] },
  'allocation.released': { label: 'Release part of an allocation', prefix: 'release', key: ['proposal', 'released_on'] },
  'income.received': { label: 'Record income: interest, investment, other', prefix: 'income', key: ['income'] },
  'cost.charged': { label: 'Record a cost: fee, direct cost, bank charge', prefix: 'cost', key: ['cost'] },
  'terms.set': { label: 'Set the fund\'s terms from a day', prefix: 'terms', key: ['effective_on'] },
  'disbursement.requested': { label: 'Request a payment (a second manager makes it)', prefix: 'request',
    key: ['disbursement'] },
  'disbursement.cancelled': { label: 'Cancel a payment request', prefix: 'cancellation', key: ['disbursement'] },
  'decision.recorded': { label: 'Record a decision of the Board', prefix: 'decision', key: ['decision'] },
  'board.member.appointed': { label: 'Record a member appointed to the Board', prefix: 'member', key: ['member'] },
  'board.member.left': { label: 'Record a member leaving the Board', prefix: 'member-left', key: ['member'] },
  'entry.reversed': { label: 'Reverse an entry recorded by mistake', prefix: 'reversal', key: ['seq'] },
};

// The id field a type creates; its other id fields name what exists.
const CREATES = {
  'donor.registered': 'donor', 'programme.registered': 'programme', 'pledge.recorded': 'pledge',
  'contribution.received': 'contribution', 'call.opened': 'call', 'proposal.submitted': 'proposal',
  'disbursement.made': 'disbursement', 'refund.received': 'refund', 'income.received': 'income',
  'cost.charged': 'cost', 'disbursement.requested': 'disbursement', 'decision.recorded': 'decision',
  'board.member.appointed': 'member',
};

// The order a form asks in: who and what first, then money, then dates.
const FIELD_ORDER = [
  'seq', 'member', 'donor', 'programme', 'call', 'proposal', 'pledge', 'contribution', 'disbursement', 'refund', 'income', 'cost',
  'name', 'kind', 'meeting_on', 'summary', 'seat', 'from', 'to', 'shared_with', 'co_chair_to', 'left_on',
  'country', 'title', 'applicant', 'focal_point', 'region', 'regions', 'currency', 'amount', 'usd', 'requested_usd',
  'budget_usd', 'approved_usd', 'amount_usd', 'decision', 'pledged_on', 'due_on', 'received_on', 'opened_on',
  'closes_on', 'submitted_on', 'decided_on', 'requested_on', 'paid_on', 'written_off_on', 'released_on', 'closed_on',
  'charged_on', 'cancelled_on', 'effective_on', 'eligible_countries', 'admin_fee_bps', 'dual_control_usd',
  'reversed_on', 'reason',
];
function fieldsOf(type) {
  const rank = f => { const i = FIELD_ORDER.indexOf(f.name); return i < 0 ? FIELD_ORDER.length : i; };
  // A field the writer fills (an entry.reversed's copy of what it reverses) is not asked.
  return desk.reference.event_types.find(t => t.type === type).fields.filter(f => !f.filled)
    .sort((a, b) => rank(a) - rank(b));
}

const FIELD_LABELS = {
  usd: 'Amount in USD', amount_usd: 'Amount (USD)', approved_usd: 'Amount approved (USD)',
  requested_usd: 'Amount requested (USD)', budget_usd: 'Budget (USD)', focal_point: 'Focal point',
  closes_on: 'Closes on', opened_on: 'Opened on', seq: 'Entry to reverse', meeting_on: 'Meeting on',
  from: 'Term from', to: 'Term to', shared_with: 'Seat shared with', co_chair_to: 'Co-chairs until', left_on: 'Left on',
};
function fieldLabel(name) {
  return FIELD_LABELS[name] || name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');
}

const desk = { reference: null, type: null, idEdited: false, lastBody: null, donors: null, pledges: {}, preset: {},
               reversible: {} };

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST', cache: 'no-store', body,
      headers: { Authorization: 'Bearer ' + state.token, 'Content-Type': 'application/json' },
    });
  } catch (e) {
    throw new ApiError(`POST ${path} failed: the server could not be reached (${e.message})`);
  }
  return { status: response.status, body: await response.json() };
}

// "2,500,000.00" or "2500000" -> "2500000.00" for a currency of 2 places;
// null when it is not an amount. More decimals than the currency has are
// kept, for the ledger to refuse by name.
function canonicalAmount(typed, decimals) {
  const s = String(typed).replace(/[\s,\u00a0]/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  let [whole, fraction = ''] = s.split('.');
  whole = whole.replace(/^0+(?=\d)/, '');
  if (fraction.length < decimals) fraction = fraction.padEnd(decimals, '0');
  return fraction ? whole + '.' + fraction : whole;
}

// The decimals an amount field takes: USD's, its currency's or its pledge's.
function amountDecimals(kind) {
  if (kind === 'usd') return 2;
  const currency = kind === 'pledge_amount' ? pledgeCurrency(fieldValue('pledge')) : fieldValue('currency');
  const c = desk.reference.currencies.find(x => x.code === currency);
  return c ? c.minor_units : 2;
}
function amountCurrency(kind) {
  return kind === 'usd' ? 'USD' : kind === 'pledge_amount' ? pledgeCurrency(fieldValue('pledge')) : fieldValue('currency');
}

function input(name) { return document.querySelector(`#desk-fields [name="${name}"]`); }
function fieldValue(name) { const e = input(name); return e ? e.value.trim() : ''; }
function pledgeCurrency(id) {
  for (const list of Object.values(desk.pledges)) {
    const p = list.find(x => x.pledge === id);
    if (p) return p.currency;
  }
  return '';
}

function options(select, list, { optional = false } = {}) {
  select.replaceChildren(...(optional ? [el('option', { value: '' }, '(none)')] : []),
    ...list.map(([value, text]) => el('option', { value }, text)));
}

async function donorList() {
  if (!desk.donors) desk.donors = (await api('/v1/donors')).view.donors;
  return desk.donors;
}
async function pledgesOf(donor) {
  if (!desk.pledges[donor]) desk.pledges[donor] = (await api('/v1/donors/' + encodeURIComponent(donor))).view.pledges;
  return desk.pledges[donor];
}

// An input that fits a field of `kind`.
async function fieldInput(type, f) {
  const attrs = { id: 'desk-' + f.name, name: f.name, required: f.required, 'aria-describedby': `desk-${f.name}-error`,
                  'data-test': 'field-' + f.name };
  const ref = desk.reference;
  if (f.kind === 'date') return el('input', { ...attrs, type: 'date' });
  if (f.kind === 'currency') {
    const s = el('select', attrs);
    options(s, ref.currencies.map(c => [c.code, `${c.code} — ${c.name}`]));
    s.value = 'USD';
    return s;
  }
  if (f.kind === 'country') {
    const s = el('select', attrs);
    options(s, ref.countries.map(c => [c.code, `${c.name} (${c.code})`]), { optional: !f.required });
    return s;
  }
  if (f.kind === 'seq') return reversibleInput(attrs);
  if (f.kind === 'region') { const s = el('select', attrs); options(s, ref.regions.map(r => [r.code, r.name])); return s; }
  const kinds = { donor_kind: ref.donor_kinds, income_kind: ref.income_kinds, cost_kind: ref.cost_kinds,
                  decision_kind: ref.decision_kinds }[f.kind];
  if (kinds) { const s = el('select', attrs); options(s, kinds.map(k => [k, k.replace('_', ' ')])); return s; }
  if (f.kind === 'regions') {
    return el('fieldset', { id: attrs.id, 'data-test': attrs['data-test'] }, el('legend', {}, 'Open to (none ticked: all five)'),
      ...ref.regions.map(r => el('label', { class: 'check' }, el('input', { type: 'checkbox', value: r.code, name: 'regions' }), ' ', r.name)));
  }
  if (f.kind === 'id' && CREATES[type] !== f.name && ['donor', 'programme', 'pledge', 'call', 'proposal', 'decision', 'member'].includes(f.name)) {
    const s = el('select', attrs);
    if (f.name === 'proposal') options(s, await proposalChoices(type));
    if (f.name === 'donor') options(s, (await donorList()).map(d => [d.donor, `${d.name} (${d.donor})`]));
    if (f.name === 'programme') {
      const list = (await api('/v1/programmes')).view.programmes;
      options(s, list.map(p => [p.programme, `${p.name} (${p.programme})`]), { optional: !f.required });
    }
    if (f.name === 'call') {
      // A proposal goes to an open call, and only an open call closes.
      const calls = (await api('/v1/calls')).view.calls.filter(c => c.status === 'open');
      options(s, calls.map(c => [c.call, `${c.title} (${c.call})`]));
    }
    if (f.name === 'member') {
      // A member leaves once: those who have not left yet.
      const board = (await api('/v1/board')).view;
      options(s, board.regions.flatMap(r => r.members.filter(m => !m.left_on)
        .map(m => [m.member, `${m.member}: ${m.country}, seat ${m.seat}, from ${m.from}`])));
    }
    if (f.name === 'decision') {
      // The Board's latest meetings first.
      const list = (await api('/v1/decisions')).view.decisions
        .sort((a, b) => b.meeting_on.localeCompare(a.meeting_on) || b.decision.localeCompare(a.decision));
      options(s, list.map(d => [d.decision, `${d.decision} of ${d.meeting_on}: ${d.summary}`]));
    }
    return s;
  }
  const e = el('input', { ...attrs, spellcheck: false, autocomplete: 'off' });
  if (['amount', 'usd', 'pledge_amount'].includes(f.kind)) e.inputMode = 'decimal';
  return e;
}

// The proposals a form may name, from each call's by_proposal: undecided
// ones for a decision; approved ones with money not yet paid for a payment
// or a release; approved ones that were paid for a refund.
async function proposalChoices(type) {
  const unpaid = p => p.status === 'approved' && toMinor(p.undisbursed, 2) > 0n;
  const kinds = {
    'proposal.approved': [p => p.status === 'submitted', p => `${p.applicant} (${p.region}), requested ${usd(p.requested)}`],
    'disbursement.made': [unpaid, p => `${p.applicant}, approved ${usd(p.approved)}, not yet paid ${usd(p.undisbursed)}`],
    'refund.received': [p => p.status === 'approved' && toMinor(p.disbursed, 2) > 0n,
                        p => `${p.applicant}, paid ${usd(p.disbursed)}`],
  };
  kinds['proposal.rejected'] = kinds['proposal.approved'];
  kinds['allocation.released'] = kinds['disbursement.made'];
  kinds['disbursement.requested'] = kinds['disbursement.made'];
  const [wanted, words] = kinds[type];
  const decision = type.startsWith('proposal.');
  const calls = (await api('/v1/calls')).view.calls
    .filter(c => (decision ? c.proposals.submitted : c.proposals.approved) > 0);
  const views = await Promise.all(calls.map(c => api('/v1/calls/' + encodeURIComponent(c.call))));
  return views.flatMap(v => v.view.by_proposal.filter(wanted).map(p => [p.proposal, `${p.proposal}: ${words(p)}`]));
}

// A pledge's choices: the chosen donor's (a contribution), or every
// donor's (a write-off), each with what is outstanding.
async function fillPledges() {
  const s = input('pledge');
  if (!s || s.tagName !== 'SELECT') return;
  const donors = input('donor') ? [fieldValue('donor')] : (await donorList()).map(d => d.donor);
  const choices = [];
  for (const d of donors.filter(Boolean)) {
    for (const p of await pledgesOf(d)) choices.push([p.pledge, `${p.pledge}: ${money(p.outstanding, p.currency)} outstanding of ${money(p.amount, p.currency)}`]);
  }
  options(s, choices, { optional: desk.type === 'contribution.received' });
  if (desk.type === 'contribution.received' && s.value) input('currency').value = pledgeCurrency(s.value);
}

// What a proposal named in the form stands at, beside its field.
async function describeProposal() {
  const hint = $('desk-proposal-hint');
  if (!hint) return;
  const id = fieldValue('proposal');
  hint.textContent = '';
  if (!id || desk.type === 'proposal.submitted') return;
  const p = await api('/v1/proposals/' + encodeURIComponent(id)).catch(() => null);
  const v = p && p.view;
  hint.textContent = !v ? 'There is no such proposal yet.'
    : v.status !== 'approved' ? `${v.status.charAt(0).toUpperCase() + v.status.slice(1)}; requested ${money(v.requested, 'USD')}.`
    : `Approved ${money(v.approved, 'USD')}, paid ${money(v.disbursed, 'USD')}, not yet paid ${money(v.undisbursed, 'USD')}.`;
}

function proposeId() {
  if (desk.idEdited) return;
  const t = DESK_TYPES[desk.type];
  const parts = t.key.map(fieldValue);
  $('desk-id').value = parts.every(Boolean) ? [t.prefix, ...parts].join('-') : '';
}

// The form's event as the API takes it; amounts canonical.
function deskEvent() {
  const data = {};
  for (const f of fieldsOf(desk.type)) {
    if (f.kind === 'regions') {
      const ticked = Array.from(document.querySelectorAll('#desk-fields input[name="regions"]:checked'), c => c.value);
      if (ticked.length) data.regions = ticked;
      continue;
    }
    let value = fieldValue(f.name);
    if (value === '') continue;
    if (['amount', 'usd', 'pledge_amount'].includes(f.kind)) value = canonicalAmount(value, amountDecimals(f.kind)) ?? value;
    data[f.name] = value;
  }
  return { id: $('desk-id').value.trim(), type: desk.type, data };
}

function clearFieldErrors() {
  for (const e of document.querySelectorAll('#page-record .field-error')) e.textContent = '';
  for (const e of document.querySelectorAll('#page-record [aria-invalid]')) e.removeAttribute('aria-invalid');
}

// A refusal next to the field it concerns ("data.amount" -> amount).
function showRefusal(error) {
  const name = error.field && error.field.startsWith('data.') ? error.field.slice(5) : error.field;
  const target = name === 'id' ? $('desk-id') : name ? input(name) : null;
  const text = `${error.message} (${error.code})`;
  const next = name ? $(`desk-${name}-error`) : null;
  if (target && next) {
    next.textContent = text;
    target.setAttribute('aria-invalid', 'true');
    target.focus();
  } else {
    $('desk-form-error').textContent = text;
  }
}

// "cash 1,960,000.00 USD → 1,840,000.00 USD", for each figure a preview changes.
// `pledges`: the currency of each pledge the preview creates.
function changeWords(c, pledges) {
  // A trail's entries and a donor's list of reversals repeat what the
  // figures themselves say.
  if (/^(trail|reversals)\[/.test(c.figure) || c.figure.endsWith('.seq') || c.figure === 'seq') return null;
  const pledge = c.view === 'donor' && c.figure.startsWith('pledges[') ? /\[(.*?)\]/.exec(c.figure)[1] : null;
  // A figure is in US dollars but those of a currency's list element
  // (currencies[EUR], pledges_by_currency[EUR], earmarks[spp,EUR]) and of
  // a donor's pledge.
  const listed = /^(?:currencies|pledges_by_currency)\[([A-Z]{3})\]/.exec(c.figure) ||
    /^earmarks\[[^\]]*,([A-Z]{3})\]/.exec(c.figure);
  const currency = listed ? listed[1] : pledge !== null ? pledges[pledge] || pledgeCurrency(pledge) : 'USD';
  const shown = v => v === null ? 'none' : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)
    ? money(v, currency).trim() : String(v);
  const where = { fund: 'the fund', regions: 'regions', programmes: 'programmes' }[c.view] || `${c.view} ${c.id}`;
  const byKind = /^(income|costs)\.by_kind\.(\w+)$/.exec(c.figure);
  const named = byKind ? `${byKind[1] === 'income' ? 'income' : 'costs'}: ${KIND_NAMES[byKind[2]].toLowerCase()}`
    : { cash: 'cash on hand', received_usd: 'received (USD)', undisbursed: 'approved, not yet paid',
        'income.total': 'other income', 'costs.total': 'costs', 'counts.income': 'number of income entries',
        'counts.costs': 'number of costs charged' }[c.figure];
  const what = named || c.figure.replace(/^counts\./, 'number of ').replaceAll('_', ' ').replace(/\.|\[|\]/g, ' ')
    .replace(/\s+/g, ' ').trim();
  return `${where}: ${what} ${shown(c.before)} → ${shown(c.after)}`;
}

async function send(dryRun) {
  clearFieldErrors();
  $('desk-effects').hidden = true;
  $('desk-receipt').hidden = true;
  const body = JSON.stringify(deskEvent());
  const r = await post('/v1/events' + (dryRun ? '?dry_run=true' : ''), body);
  document.body.dataset.sent = '';
  if (r.body.error) {
    showRefusal(r.body.error);
  } else if (dryRun) {
    const changes = r.body.events[0].changes;
    const pledges = {};
    for (const c of changes) {
      const m = /^pledges\[(.*)\]\.currency$/.exec(c.figure);
      if (m && c.after) pledges[m[1]] = c.after;
    }
    const words = changes.map(c => changeWords(c, pledges)).filter(Boolean);
    $('desk-changes').replaceChildren(...(words.length ? words : ['nothing: it is already recorded']).map(w => el('li', {}, w)));
    $('desk-effects').hidden = false;
  } else {
    showReceipt(r.body.events[0], r.status === 200);
    desk.donors = null;
    desk.pledges = {};
  }
  document.body.dataset.sent = dryRun ? 'preview' : 'record';
}

function showReceipt(e, repeat) {
  $('desk-receipt').querySelector('h3').textContent = repeat ? `Already recorded as event ${e.seq}` : `Recorded as event ${e.seq}`;
  const facts = [['Event', e.id], ['Seq', String(e.seq)], ['Leaf hash', e.leaf_hash], ['Chain hash', e.chain_hash]];
  $('desk-receipt-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-test': 'receipt-' + k.toLowerCase().replace(' ', '-') }, v)]));
  const reversed = desk.type === 'entry.reversed' ? desk.reversible[fieldValue('seq')] : null;
  const proposal = fieldValue('proposal') || (reversed && reversed.data.proposal);
  if (proposal) $('desk-receipt-facts').append(el('dt', {}, 'Trail'), el('dd', {}, el('a', { href: '#proposal/' + encodeURIComponent(proposal) }, proposal + "'s trail")));
  $('desk-proof').textContent = '';
  $('desk-check').onclick = async () => {
    $('desk-proof').textContent = 'checking…';
    const r = await checkInclusion(e.seq);
    $('desk-proof').textContent = r.text;
    $('desk-proof').className = r.ok === true ? 'good' : r.ok === false ? 'bad' : 'unknown';
  };
  $('desk-receipt').hidden = false;
}

// Sets the fields `preset` names; a choice not offered (a payment to a
// proposal with nothing left to pay) is added, for the ledger to answer.
function setPreset(preset) {
  for (const [name, value] of Object.entries(preset)) {
    const e = input(name);
    if (!e) continue;
    if (e.tagName === 'SELECT' && !Array.from(e.options).some(o => o.value === value)) {
      e.append(el('option', { value }, value));
    }
    e.value = value;
  }
}

// The form of `type`, its fields set from `preset` ({donor: "NOR"}).
async function buildForm(type, preset) {
  desk.type = type;
  desk.preset = preset;
  desk.idEdited = false;
  $('desk-type').value = type;
  const fields = fieldsOf(type);
  const rows = [];
  for (const f of fields) {
    const control = await fieldInput(type, f);
    const row = el('div', { class: 'field' });
    if (f.kind !== 'regions') row.append(el('label', { htmlFor: 'desk-' + f.name }, fieldLabel(f.name) + (f.required ? '' : ' (optional)')));
    row.append(control);
    if (['amount', 'usd', 'pledge_amount'].includes(f.kind)) row.append(el('span', { class: 'hint', id: `desk-${f.name}-shown`, 'data-test': `shown-${f.name}` }));
    if (f.name === 'proposal' || f.name === 'seq') {
      row.append(el('span', { class: 'hint', id: `desk-${f.name}-hint`, 'data-test': `${f.name}-hint` }));
    }
    row.append(el('span', { class: 'field-error', id: `desk-${f.name}-error`, 'data-test': 'error-' + f.name }));
    rows.push(row);
  }
  $('desk-fields').replaceChildren(...rows);
  setPreset(preset);
  await fillPledges();
  setPreset(preset);
  await describeProposal();
  describeReversed();
  $('desk-id').value = '';
  proposeId();
  $('desk-effects').hidden = true;
  $('desk-receipt').hidden = true;
}

function showAmounts() {
  for (const f of fieldsOf(desk.type)) {
    const shown = $(`desk-${f.name}-shown`);
    if (!shown) continue;
    const typed = fieldValue(f.name);
    const amount = typed && canonicalAmount(typed, amountDecimals(f.kind));
    shown.textContent = !typed ? '' : amount === null ? 'not an amount' : money(amount, amountCurrency(f.kind));
  }
}

// --- importing a spreadsheet ------------------------------------------------

async function importBody() {
  const files = Array.from($('import-files').files);
  return JSON.stringify({ files: await Promise.all(files.map(async f => ({ name: f.name, content: await f.text() }))) });
}

async function sendImport(dryRun) {
  $('import-error').textContent = '';
  const r = await post('/v1/imports' + (dryRun ? '?dry_run=true' : ''), await importBody());
  document.body.dataset.sent = '';
  $('import-record').disabled = !dryRun || !!r.body.error;
  if (r.body.error) {
    const e = r.body.error;
    const where = [e.file, e.row ? `row ${e.row}` : '', e.field].filter(Boolean).join(', ');
    $('import-error').textContent = `${where ? where + ': ' : ''}${e.message} (${e.code})`;
    $('import-table').hidden = true;
  } else {
    $('import-table').tBodies[0].replaceChildren(...r.body.events.map(e => {
      const words = (e.changes || []).map(c => changeWords(c, {})).filter(Boolean);
      const result = e.repeat ? `already recorded as event ${e.seq}`
        : dryRun ? `would be event ${e.seq}` + (words.length ? `: ${words[0]}` : '') : `recorded as event ${e.seq}`;
      return el('tr', {}, cell(e.file), numCell(String(e.row)), cell(e.id), cell(result, { 'data-test': `import-${e.file}-${e.row}` }));
    }));
    $('import-table').hidden = false;
  }
  document.body.dataset.sent = dryRun ? 'import-check' : 'import';
}

async function showRecord() {
  if (state.role !== 'manager') {
    $('desk-form').hidden = true;
    $('desk-import').hidden = true;
    $('desk-note').textContent = 'Recording is for the fund\'s managers; this token reads the fund only.';
    return;
  }
  $('desk-form').hidden = false;
  $('desk-import').hidden = false;
  $('desk-note').textContent = 'Choose what to record. Nothing is written until you press Record; Preview shows what it would change.';
  if (!desk.reference) {
    desk.reference = await api('/v1/reference');
    options($('desk-type'), Object.entries(DESK_TYPES).map(([t, d]) => [t, d.label]));
  }
  desk.donors = null;
  desk.pledges = {};
  // #record/TYPE/field=value&field=value
  const [, type, preset = ''] = location.hash.slice(1).split('/');
  const chosen = DESK_TYPES[decodeURIComponent(type || '')] ? decodeURIComponent(type) : 'donor.registered';
  await buildForm(chosen, Object.fromEntries(new URLSearchParams(decodeURIComponent(preset))));
}

document.addEventListener('DOMContentLoaded', () => {
  $('desk-type').addEventListener('change', e => { location.hash = 'record/' + e.target.value; });
  $('desk-fields').addEventListener('input', () => { proposeId(); showAmounts(); });
  $('desk-fields').addEventListener('change', async e => {
    if (e.target.name === 'donor') await fillPledges();
    if (e.target.name === 'pledge' && desk.type === 'contribution.received' && e.target.value) {
      input('currency').value = pledgeCurrency(e.target.value);
    }
    if (e.target.name === 'proposal') await describeProposal();
    if (e.target.name === 'seq') describeReversed();
    proposeId();
    showAmounts();
  });
  $('desk-id').addEventListener('input', () => { desk.idEdited = true; });
  $('desk-preview').addEventListener('click', () => send(true).catch(e => showError(e.message)));
  $('import-check').addEventListener('click', () => sendImport(true).catch(e => showError(e.message)));
  $('import-record').addEventListener('click', () => sendImport(false).catch(e => showError(e.message)));
  $('import-files').addEventListener('change', () => { $('import-record').disabled = true; });
  $('desk-form').addEventListener('submit', e => { e.preventDefault(); send(false).catch(err => showError(err.message)); });
});
