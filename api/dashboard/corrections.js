// Corrections at the desk (after desk.js, in the same script): the form of
// entry.reversed chooses the entry to take back from the latest events of
// a reversible type, in words, and says what it is beside the field; the
// writer copies its facts.

const REVERSIBLE = ['contribution.received', 'pledge.written_off', 'disbursement.made', 'refund.received',
                    'allocation.released'];
const REVERSIBLE_WINDOW = 1000;  // the latest events offered for reversal

// An event that may be reversed, in a fund officer's words.
function reversibleWords(e) {
  const d = e.data;
  const what = {
    'contribution.received': () => `contribution ${d.contribution} of ${money(d.amount, d.currency)}` +
      ` (${usd(d.usd)}) from ${d.donor}, received ${d.received_on}`,
    'pledge.written_off': () => `write-off of ${grouped(d.amount)} on pledge ${d.pledge}, ${d.written_off_on}`,
    'disbursement.made': () => `payment ${d.disbursement} of ${usd(d.amount_usd)} to ${d.proposal}, paid ${d.paid_on}`,
    'refund.received': () => `refund ${d.refund} of ${usd(d.amount_usd)} from ${d.proposal}, received ${d.received_on}`,
    'allocation.released': () => `release of ${usd(d.amount_usd)} from ${d.proposal}, ${d.released_on}`,
  }[e.type];
  return `event ${e.seq}: ${what()}`;
}

// Whether a reversible event belongs to the donor or proposal the form was
// opened from (#record/entry.reversed/donor=NOR).
async function ofPreset(e) {
  const { donor, proposal } = desk.preset;
  if (proposal) return e.data.proposal === proposal;
  if (!donor) return true;
  if (e.type === 'contribution.received') return e.data.donor === donor;
  if (e.type === 'pledge.written_off') return (await pledgesOf(donor)).some(p => p.pledge === e.data.pledge);
  return false;
}

// The choices of an entry to reverse: the latest events of a reversible
// type not yet reversed, newest first, and the one the form was opened for.
async function fillReversible(select) {
  const head = (await api('/healthz')).tree_size;
  const from = Math.max(1, head - REVERSIBLE_WINDOW + 1);
  const events = head === 0 ? [] : (await api(`/v1/events?from=${from}&limit=${REVERSIBLE_WINDOW}`)).events;
  const reversed = new Set(events.filter(e => e.type === 'entry.reversed').map(e => e.data.seq));
  desk.reversible = {};
  const choices = [];
  for (const e of events.slice().reverse()) {
    if (!REVERSIBLE.includes(e.type) || reversed.has(String(e.seq)) || !(await ofPreset(e))) continue;
    desk.reversible[e.seq] = e;
    choices.push([String(e.seq), reversibleWords(e)]);
  }
  const wanted = desk.preset.seq;
  if (wanted && !desk.reversible[wanted]) {
    const e = await api('/v1/events/' + encodeURIComponent(wanted)).catch(() => null);
    if (e && REVERSIBLE.includes(e.type)) {
      desk.reversible[e.seq] = e;
      choices.unshift([String(e.seq), reversibleWords(e)]);
    }
  }
  options(select, choices);
}

// What the chosen entry is, beside its field.
function describeReversed() {
  const hint = $('desk-seq-hint');
  if (!hint) return;
  const e = desk.reversible[fieldValue('seq')];
  hint.textContent = !e ? 'Nothing to reverse here: no payment, contribution, refund, release or write-off.'
    : `Takes back ${reversibleWords(e).replace(/^event \d+: /, '')}, recorded on ${e.recorded_at.slice(0, 10)} at ` +
      `${e.recorded_at.slice(11, 16)} UTC by ${e.actor}.`;
}

// The entry to reverse: a choice of the latest, and the number of any
// older one, which the choice then takes.
async function reversibleInput(attrs) {
  const select = el('select', attrs);
  await fillReversible(select);
  const other = el('input', { id: 'desk-seq-other', type: 'text', inputMode: 'numeric', autocomplete: 'off',
                              placeholder: 'or event no.', 'aria-label': 'Or the number of an older event',
                              'aria-describedby': 'desk-seq-hint', 'data-test': 'field-seq-other' });
  other.addEventListener('change', () => chooseEvent(other.value.trim()).catch(e => showError(e.message)));
  return el('span', { class: 'seq-choice' }, select, other);
}

// Takes event `text` into the choice when it may be reversed, or says why not.
async function chooseEvent(text) {
  const select = input('seq');
  const hint = $('desk-seq-hint');
  if (!/^[1-9][0-9]*$/.test(text)) {
    hint.textContent = `"${text}" is not an event number: 1 or more.`;
    return;
  }
  if (!desk.reversible[text]) {
    const e = await api('/v1/events/' + text).catch(() => null);
    if (!e) {
      hint.textContent = `There is no event ${text} in the ledger.`;
      return;
    }
    if (!REVERSIBLE.includes(e.type)) {
      hint.textContent = `Event ${text} is ${/^[aeiou]/.test(e.type) ? 'an' : 'a'} ${e.type}, which cannot be ` +
        'reversed: only contributions, write-offs, payments, refunds and releases can.';
      return;
    }
    desk.reversible[text] = e;
    select.prepend(el('option', { value: text }, reversibleWords(e)));
  }
  select.value = text;
  describeReversed();
  proposeId();
}
