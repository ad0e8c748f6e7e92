// The Statements page (after pages.js, in the same script): the statement
// of sources and uses for a year, a biennium or any range of days, as the
// signed view of /v1/statements, drawn as tables and inline SVG, printable
// on A4 with its signature, and downloadable as CSV.

// The period the form names, as the query of /v1/statements.
function statementQuery() {
  const kind = $('st-kind').value;
  if (kind === 'year') return 'period=' + $('st-year').value;
  if (kind === 'biennium') return 'period=' + $('st-biennium').value;
  return `from=${encodeURIComponent($('st-from').value)}&to=${encodeURIComponent($('st-to').value)}`;
}

// Years from the first call's to this one, and the bienniums they make.
function fillPeriods(calls) {
  if ($('st-year').options.length) return;
  const now = new Date().getFullYear();
  let first = now;
  for (const c of calls) first = Math.min(first, Number(c.opened_on.slice(0, 4)));
  for (let y = now; y >= first; y--) $('st-year').append(el('option', { value: String(y) }, String(y)));
  for (let y = first; y <= now; y += 2) {
    $('st-biennium').append(el('option', { value: `${y}-${y + 1}` }, `${y}-${y + 1}`));
  }
  $('st-year').value = String(first);
  $('st-biennium').value = `${first}-${first + 1}`;
  $('st-from').value = `${first}-01-01`;
  $('st-to').value = `${first}-12-31`;
}

function showPeriodInputs() {
  const kind = $('st-kind').value;
  $('st-year-field').hidden = kind !== 'year';
  $('st-biennium-field').hidden = kind !== 'biennium';
  $('st-range-field').hidden = kind !== 'range';
}

function amountRows(target, entries, test) {
  $(target).tBodies[0].replaceChildren(...entries.map(([label, amount, id]) => el('tr', {},
    cell(label), numCell(money(amount, 'USD'), `${test}-${id}`))));
}

// Cash at each month's end: a column a month, below the line when negative.
function cashChart(months) {
  const width = 900, height = 220, left = 70, bottom = 30, plot = height - bottom - 20;
  let top = 1n, low = 0n;
  for (const m of months) {
    const c = toMinor(m.cash, 2);
    if (c > top) top = c;
    if (c < low) low = c;
  }
  const span = top - low;
  const y = v => 20 + Number(((top - v) * 10000n) / span) / 10000 * plot;
  const s = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  const step = (width - left - 10) / Math.max(1, months.length);
  months.forEach((m, i) => {
    const c = toMinor(m.cash, 2);
    const rect = svg('rect', { x: left + i * step + 2, y: Math.min(y(c), y(0n)), width: Math.max(1, step - 4),
                               height: Math.abs(y(0n) - y(c)), class: c < 0n ? 'disbursed' : 'received' });
    rect.append(svg('title', {}, `${m.month}: ${money(m.cash, 'USD')}`));
    s.append(rect);
    if (months.length <= 12 || i % 3 === 0) {
      s.append(svg('text', { x: left + i * step + step / 2, y: height - 10, 'text-anchor': 'middle', class: 'axis' }, m.month));
    }
  });
  s.append(svg('line', { x1: left, x2: width - 10, y1: y(0n), y2: y(0n), class: 'zero' }));
  s.append(svg('text', { x: left - 6, y: y(top) + 4, 'text-anchor': 'end', class: 'axis' }, grouped(fromMinor(top / 100000n, 0)) + 'k'));
  return el('figure', { class: 'chart-wrap' }, s);
}

function statementCharts(s) {
  const sources = s.sources.total, uses = s.uses.total;
  const top = toMinor(sources, 2) > toMinor(uses, 2) ? sources : uses;
  $('st-flow-chart').replaceChildren(barChart([
    { label: 'Sources', bars: [{ value: ratio(sources, top), class: 'received', title: `Sources ${usd(sources)}`, text: usd(sources) }] },
    { label: 'Uses', bars: [{ value: ratio(uses, top), class: 'disbursed', title: `Uses ${usd(uses)}`, text: usd(uses) }] },
  ], { legend: [['received', 'contributions received'], ['disbursed', 'payments less refunds']] }));
  $('st-cash-chart').replaceChildren(cashChart(s.cash_by_month));
  const equal = fromMinor(toMinor(uses, 2) / 5n, 2);
  let rtop = toMinor(uses, 2) > 0n ? equal : '1.00';
  for (const r of REGIONS) if (toMinor(s.uses.by_region[r], 2) > toMinor(rtop, 2)) rtop = s.uses.by_region[r];
  $('st-region-chart').replaceChildren(barChart(REGIONS.map(r => ({
    label: r,
    bars: [{ value: ratio(s.uses.by_region[r], rtop), class: 'disbursed', title: `Paid ${usd(s.uses.by_region[r])}`,
             text: usd(s.uses.by_region[r]) }],
  })), { marker: ratio(equal, rtop), markerLabel: `equal share ${usd(equal)}`,
         legend: [['disbursed', 'paid in the period, less refunds'], ['marker', 'equal share (a fifth of the uses)']] }));
}

async function showStatements() {
  // The periods start at the first call's year: the public may not see the calls.
  const readsCalls = state.token || state.public.includes('calls');
  fillPeriods(readsCalls ? (await view('/v1/calls')).view.calls : []);
  showPeriodInputs();
  const v = await view('/v1/statements?' + statementQuery());
  const s = v.view;
  $('st-title').textContent = `Statement of sources and uses, ${s.period.name}`;
  $('st-dates').textContent = `Business dates ${s.period.from} to ${s.period.to}, both included, as recorded up to event ${grouped(String(v.as_of.tree_size))}.`;
  amountRows('st-summary', [
    ['Opening cash', s.opening_cash, 'opening'],
    ['Sources: contributions received', s.sources.contributions, 'contributions'],
    ['Sources: interest and other income', s.sources.income.total, 'income'],
    ['Sources, in all', s.sources.total, 'sources'],
    ['Uses: payments', s.uses.disbursed, 'disbursed'],
    ['Uses: refunds received', s.uses.refunded, 'refunded'],
    ['Uses: fees, direct costs and bank charges', s.uses.costs.total, 'costs'],
    ['Uses, in all', s.uses.total, 'uses'],
    ['Closing cash', s.closing_cash, 'closing'],
    ['Commitments made in the period (approvals less releases and refunds)', s.commitments.total, 'committed'],
    ['Approved and not yet paid at the end', s.commitments.undisbursed_at_end, 'undisbursed'],
    ['Unallocated at the end', s.unallocated_at_end, 'unallocated'],
  ], 'st');
  $('st-donors').tBodies[0].replaceChildren(...Object.entries(s.sources.by_donor).map(([id, d]) => el('tr', {},
    cell(d.name),
    cell(Object.entries(d.by_currency).map(([c, a]) => money(a, c)).join('; ')),
    numCell(money(d.usd, 'USD'), `st-donor-${id}`))));
  amountRows('st-regions', REGIONS.map(r => [r, s.uses.by_region[r], r]), 'st-region');
  amountRows('st-calls', Object.entries(s.uses.by_call).map(([id, a]) => [id, a, id]), 'st-call');
  $('st-pledges').tBodies[0].replaceChildren(...Object.entries(s.pledges.by_donor).flatMap(([id, byCurrency]) =>
    Object.entries(byCurrency).map(([c, p]) => el('tr', {}, cell(id), cell(c),
      numCell(grouped(p.made), `st-pledge-${id}-${c}-made`),
      numCell(grouped(p.written_off), `st-pledge-${id}-${c}-written-off`),
      numCell(grouped(p.outstanding_at_end), `st-pledge-${id}-${c}-outstanding`)))));
  statementCharts(s);
  $('st-print-facts').replaceChildren(...[
    ['Tree size', grouped(String(v.as_of.tree_size)) + ' events', 'st-tree-size'],
    ['Root hash', v.as_of.root_hash, 'st-root'],
    ['Verifier key', state.key.verifierKey, 'st-key'],
    ['Signature', v.signature, 'st-signature'],
  ].flatMap(([k, value, test]) => [el('dt', {}, k), el('dd', { 'data-test': test }, value)]));
}

// The statement as CSV, fetched with the token and saved by the browser.
async function downloadStatementCsv() {
  const path = withAsOf('/v1/exports/statement.csv?' + statementQuery());
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + state.token }, cache: 'no-store' });
  if (!response.ok) return showError(`GET ${path} failed: ${response.status}`);
  const name = (response.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/);
  const link = el('a', { href: URL.createObjectURL(await response.blob()), download: name ? name[1] : 'statement.csv' });
  document.body.append(link);
  link.click();
  link.remove();
}

SHOW.statements = showStatements;

document.addEventListener('DOMContentLoaded', () => {
  $('st-kind').addEventListener('change', () => { showPeriodInputs(); render(); });
  $('statement-form').addEventListener('submit', e => { e.preventDefault(); render(); });
  $('st-csv').addEventListener('click', () => downloadStatementCsv());
  $('st-print').addEventListener('click', () => window.print());
});
