// The Board's page (after statements.js, in the same script): its members
// by regional group on a day, and its decisions, each with the calls
// opened and the proposals approved and rejected under it, every
// decision's event one click from its proof.

// Who sat on the Board on the day chosen: by default the day of the latest
// appointment, so that the Board last appointed shows.
async function showMembers() {
  if (!$('board-day').value) {
    const all = (await view('/v1/board')).view.regions.flatMap(r => r.members);
    $('board-day').value = all.reduce((day, m) => (m.from > day ? m.from : day), '') || new Date().toISOString().slice(0, 10);
  }
  const day = $('board-day').value;
  const board = (await view('/v1/board?as_of_date=' + day)).view;
  const chairs = new Set(board.co_chairs);
  const seated = board.regions.reduce((n, r) => n + r.members.length, 0);
  $('board-status').textContent = seated ? `${seated} members on ${day}` + (chairs.size ? `; co-chairs ${[...chairs].map(id =>
    board.regions.flatMap(r => r.members).find(m => m.member === id).country).join(' and ')}` : '')
    : `No member sits on the Board on ${day}.`;
  $('board-table').tBodies[0].replaceChildren(...board.regions.map(r => el('tr', { 'data-test': `board-${r.region}` },
    cell(r.region), numCell(`${r.seats} of 2`, `board-${r.region}-seats`),
    cell(r.members.map(m => `${m.country}` + (m.shared_with ? ` (sharing with ${m.shared_with})` : '') +
      (chairs.has(m.member) ? ', co-chair' : '') + ` — seat ${m.seat}, ${m.from} to ${m.left_on ? 'leaving ' + m.left_on : m.to || 'open'}`)
      .join('; ') || 'no member', { 'data-test': `board-${r.region}-members` }))));
}

// The decisions, latest meeting first; one chosen by #board/ID shows what
// rests on it.
async function showBoard() {
  await showMembers();
  const list = (await view('/v1/decisions')).view.decisions
    .sort((a, b) => b.meeting_on.localeCompare(a.meeting_on) || b.decision.localeCompare(a.decision));
  $('decision-table').tBodies[0].replaceChildren(...list.map(d => el('tr', { 'data-test': `decision-${d.decision}` },
    cell(el('a', { href: '#board/' + encodeURIComponent(d.decision) }, d.decision), { class: 'nowrap' }),
    cell(d.meeting_on, { class: 'nowrap' }),
    cell(d.kind), cell(d.summary),
    numCell(String(d.counts.calls), `decision-${d.decision}-calls`),
    cell(`${d.counts.approvals} approved, ${d.counts.rejections} rejected`, { 'data-test': `decision-${d.decision}-proposals` }),
    numCell(money(d.approved, 'USD'), `decision-${d.decision}-approved`))));
  const id = state.decisionId;
  if (!id) { $('decision-detail').hidden = true; return; }
  const d = (await view('/v1/decisions/' + encodeURIComponent(id))).view;
  $('decision-detail').hidden = false;
  $('decision-title').textContent = `Decision ${d.decision} of the meeting of ${d.meeting_on}: ${d.summary}`;
  const proposal = p => el('a', { href: '#proposal/' + encodeURIComponent(p.proposal) }, p.proposal);
  $('decision-rests').replaceChildren(
    ...d.calls.map(c => el('li', { 'data-test': `decision-call-${c.call}` }, 'Call ',
      el('a', { href: '#calls/' + encodeURIComponent(c.call) }, c.title), ` opened on ${c.opened_on}, budget ${money(c.budget, 'USD')}`)),
    ...d.approvals.map(p => el('li', { 'data-test': `decision-approval-${p.proposal}` }, proposal(p),
      ` (${p.applicant}, ${p.region}) approved on ${p.decided_on}: ${money(p.approved, 'USD')}`)),
    ...d.rejections.map(p => el('li', { 'data-test': `decision-rejection-${p.proposal}` }, proposal(p),
      ` (${p.applicant}, ${p.region}) rejected on ${p.decided_on}: ${p.reason}`)));
  if (!d.calls.length && !d.approvals.length && !d.rejections.length) {
    $('decision-rests').replaceChildren(el('li', {}, 'Nothing recorded rests on this decision.'));
  }
  $('decision-proof').replaceChildren(proofButton(d.seq));
}

SHOW.board = showBoard;
$('board-day').addEventListener('change', () => showMembers().catch(e => showError(e.message)));
