// The kelurahan desk's pages: find a walk-in resident by NIK or name, open
// the record, correct it and mark it verified, see the vacancies that fit
// with the reasons in plain words, the BLK courses that would open more,
// refer or enrol in one action, and print the referral letter.
//
// Routes: #/desk (search), #/desk/resident/<id>, #/desk/letter/<referral id>.
// The last search lives in this module's memory only, so a NIK typed at
// the counter is never stored in the browser.

import { api, qs } from './api.js';
import {
  h, t, clear, field, showErrors, clearErrors, apiErrors, busy, notice, cursorList, pagedList,
  summaryList, withContext, rupiah, date, pct, num, joinList, todayIso, currentLang,
} from './render.js';

let lastSearch = null; // {nik} or {name}

export async function render(ctx) {
  const [view, id] = ctx.params;
  if (view === 'resident' && /^\d+$/.test(id || '')) return residentPage(ctx, Number(id));
  if (view === 'letter' && /^\d+$/.test(id || '')) return letterPage(ctx, Number(id));
  return searchPage(ctx);
}

// ---- Search ---------------------------------------------------------------------

function searchPage(ctx) {
  const results = h('section', { class: 'results', 'aria-labelledby': 'results-title', hidden: true },
    h('h2', { id: 'results-title' }, t('desk.results.title')),
    h('div', { class: 'results-body' }));
  const form = h('form', { class: 'form', novalidate: true, role: 'search' },
    field({ id: 'search-nik', label: t('desk.search.nik'), hint: t('desk.search.nik.hint'), attrs: { inputmode: 'numeric', autocomplete: 'off', maxlength: '16', class: 'input--nik' } }),
    field({ id: 'search-name', label: t('desk.search.name'), hint: t('desk.search.name.hint'), attrs: { autocomplete: 'off', class: 'input--name' } }),
    h('button', { type: 'submit', class: 'button' }, t('desk.search.submit')));

  const run = (criteria) => {
    lastSearch = criteria;
    results.hidden = false;
    const body = results.querySelector('.results-body');
    return cursorList(body, (cursor) => api('POST', `/v1/residents/search${qs({ limit: 10, cursor })}`, criteria),
      (items, container) => drawHits(ctx, items, container));
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const nik = form.querySelector('#search-nik').value.replace(/\s+/g, '');
    const name = form.querySelector('#search-name').value.trim();
    const errors = [];
    if (!nik && !name) errors.push({ field: 'search-nik', text: t('desk.search.one') });
    else if (nik && name) errors.push({ field: 'search-name', text: t('desk.search.both') });
    else if (nik && !/^\d{16}$/.test(nik)) errors.push({ field: 'search-nik', text: t('desk.search.nik.bad') });
    else if (name && name.length < 3) errors.push({ field: 'search-name', text: t('desk.search.name.short') });
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await run(nik ? { nik } : { name });
      } catch (e) {
        showErrors(form, apiErrors(e, { nik: 'search-nik', name: 'search-name' }));
      }
    });
  });
  if (lastSearch) {
    if (lastSearch.name) form.querySelector('#search-name').value = lastSearch.name;
    run(lastSearch);
  }
  const intro = ctx.me.role === 'desk' ? t('desk.search.intro') : t('desk.search.intro.city');
  return [h('h1', {}, t('desk.search.title')), h('p', { class: 'lead' }, intro), form, results];
}

function drawHits(ctx, items, container) {
  container.append(h('p', { role: 'status' }, items.length ? t('desk.results.count', { n: items.length }) : t('desk.results.none')));
  if (!items.length) return;
  container.append(h('ul', { class: 'hits' }, items.map((r) => h('li', { class: 'hit' },
    h('div', { class: 'hit-main' },
      h('span', { class: 'hit-name' }, r.name),
      h('span', { class: 'hit-meta' },
        [r.age !== null ? t('desk.age', { n: r.age }) : null,
          r.rt_rw ? `RT/RW ${r.rt_rw}` : null, r.address_hint, r.kelurahan && r.kelurahan.name].filter(Boolean).join(' · '))),
    h('a', { class: 'button button--secondary', href: `#/desk/resident/${r.id}` }, withContext(t('desk.results.open'), r.name))))));
}

// ---- One resident ------------------------------------------------------------------

async function residentPage(ctx, id) {
  let rec;
  try {
    rec = await api('GET', `/v1/residents/${id}`);
  } catch (e) {
    return [backLink(), h('h1', {}, t('res.details')), notice(apiErrors(e).map((x) => x.text).join(' '), 'error')];
  }
  const page = h('div', { class: 'resident' });
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const recs = h('section', { class: 'recs', 'aria-labelledby': 'recs-title' }, h('h2', { id: 'recs-title' }, t('rec.title')), h('p', {}, t('app.loading')));
  const courses = h('section', { class: 'courses', 'aria-labelledby': 'courses-title' }, h('h2', { id: 'courses-title' }, t('courses.title')));
  const details = h('section', { 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title', class: 'visually-hidden' }, t('res.details')), recordSummary(rec));
  page.append(backLink(), h('h1', {}, rec.name), verificationTag(rec), status, details,
    correctForm(ctx, rec, status), verifyForm(ctx, rec, status), recs, courses);
  loadRecommendations(ctx, rec, recs, courses, status);
  return page;
}

function backLink() {
  return h('a', { class: 'back-link', href: '#/desk' }, t('res.back'));
}

function verificationTag(rec) {
  const v = rec.verification || {};
  const text = v.status === 'verified' ? t('res.verified', { date: date(v.verified_at) })
    : v.status === 'expired' ? t('res.expired', { date: date(v.verified_at) }) : t('res.never');
  return h('p', { class: `tag tag--${v.status || 'never'}` }, text);
}

function recordSummary(rec) {
  const skills = (rec.skills || []).map((k) => `${currentLang() === 'en' ? k.name_en : k.name_id}${k.certified ? ` (${t('res.certified')})` : ''}`);
  return summaryList([
    [t('res.nik'), rec.nik],
    [t('res.birth'), rec.birth_date ? `${date(rec.birth_date)}${rec.age !== null ? ` (${t('desk.age', { n: rec.age })})` : ''}` : null],
    [t('res.sex'), rec.sex ? t(`res.sex.${rec.sex}`) : null],
    [t('res.address'), rec.address],
    [t('res.phone'), rec.phone],
    [t('res.education'), rec.education ? t(`edu.${rec.education}`) : null],
    [t('res.work_status'), rec.work_status ? t(`work.${rec.work_status}`) : null],
    [t('res.months_without_work'), rec.months_without_work],
    [t('res.dependants'), rec.dependants],
    [t('res.shifts'), rec.shifts && rec.shifts.length ? joinList(rec.shifts.map((x) => t(`shift.${x}`))) : null],
    [t('res.skills'), skills.length ? joinList(skills) : t('common.none')],
  ]);
}

const EDU = ['none', 'sd', 'smp', 'sma', 'smk', 'd3', 's1', 's2'];
const WORK = ['working', 'unemployed', 'not_in_labour_force'];

// The correction form: only the fields a desk usually corrects, each sent
// only when changed, with the reason the history keeps.
function correctForm(ctx, rec, status) {
  const ids = { phone: 'fix-phone', address: 'fix-address', education: 'fix-education', work_status: 'fix-work', months_without_work: 'fix-months', dependants: 'fix-dependants', reason: 'fix-reason' };
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, t('res.correct.intro')),
    field({ id: ids.phone, label: t('res.phone'), value: rec.phone, attrs: { inputmode: 'tel', autocomplete: 'off' } }),
    field({ id: ids.address, label: t('res.address'), value: rec.address, attrs: { autocomplete: 'off' } }),
    field({ id: ids.education, label: t('res.education'), value: rec.education ?? '', options: [['', t('common.unknown')], ...EDU.map((e) => [e, t(`edu.${e}`)])] }),
    field({ id: ids.work_status, label: t('res.work_status'), value: rec.work_status ?? '', options: [['', t('common.unknown')], ...WORK.map((e) => [e, t(`work.${e}`)])] }),
    field({ id: ids.months_without_work, label: t('res.months_without_work'), value: rec.months_without_work ?? '', attrs: { inputmode: 'numeric', autocomplete: 'off', class: 'input--short' } }),
    field({ id: ids.dependants, label: t('res.dependants'), value: rec.dependants ?? '', attrs: { inputmode: 'numeric', autocomplete: 'off', class: 'input--short' } }),
    field({ id: ids.reason, label: t('res.correct.reason'), hint: t('res.correct.reason.hint'), type: 'textarea' }),
    h('button', { type: 'submit', class: 'button' }, t('res.correct.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {};
    const val = (k) => form.querySelector(`#${ids[k]}`).value.trim();
    for (const k of ['phone', 'address', 'education', 'work_status']) {
      const v = val(k);
      if (v !== (rec[k] ?? '')) body[k] = v === '' ? null : v;
    }
    const errors = [];
    for (const k of ['months_without_work', 'dependants']) {
      const v = val(k);
      if (v !== '' && !/^\d+$/.test(v)) {
        errors.push({ field: ids[k], text: t('res.correct.whole_number') });
        continue;
      }
      const n = v === '' ? null : Number(v);
      if (n !== (rec[k] ?? null)) body[k] = n;
    }
    const reason = val('reason');
    if (!Object.keys(body).length && !errors.length) errors.push({ field: ids.phone, text: t('res.correct.nothing') });
    if (!reason) errors.push({ field: ids.reason, text: t('res.correct.reason.missing') });
    if (errors.length) return showErrors(form, errors);
    body.reason = reason;
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await api('PATCH', `/v1/residents/${rec.id}`, body);
        sessionFlash = t('res.correct.done');
        ctx.go(`#/desk/resident/${rec.id}`);
      } catch (e) {
        showErrors(form, apiErrors(e, ids));
      }
    });
  });
  return h('details', { class: 'disclosure' }, h('summary', {}, t('res.correct.title')), form);
}

// A message to show once after the page re-renders (a saved correction).
let sessionFlash = null;

function verifyForm(ctx, rec, status) {
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, t('res.verify.intro')),
    field({ id: 'verify-note', label: `${t('res.verify.note')} (${t('common.optional')})`, attrs: { autocomplete: 'off' } }),
    h('button', { type: 'submit', class: 'button' }, t('res.verify.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const note = form.querySelector('#verify-note').value.trim();
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await api('POST', `/v1/residents/${rec.id}/verification`, note ? { note } : {});
        sessionFlash = t('res.verify.done');
        ctx.go(`#/desk/resident/${rec.id}`);
      } catch (e) {
        showErrors(form, apiErrors(e, { note: 'verify-note' }));
      }
    });
  });
  const flash = sessionFlash;
  sessionFlash = null;
  if (flash) status.append(notice(flash));
  return h('section', { class: 'panel', 'aria-labelledby': 'verify-title' }, h('h2', { id: 'verify-title' }, t('res.verify.title')), form);
}

// ---- Recommendations and courses ------------------------------------------------------

async function loadRecommendations(ctx, rec, recs, courses, status) {
  let r;
  try {
    r = await api('GET', `/v1/residents/${rec.id}/recommendations${qs({ limit: 20 })}`);
  } catch (e) {
    clear(recs).append(h('h2', { id: 'recs-title' }, t('rec.title')), notice(apiErrors(e).map((x) => x.text).join(' '), 'error'));
    return;
  }
  clear(recs).append(h('h2', { id: 'recs-title' }, t('rec.title')));
  if (r.not_matched_because) {
    const why = currentLang() === 'en' ? r.not_matched_because.reason_en : r.not_matched_because.reason_id;
    recs.append(h('p', {}, t('rec.not_matched', { reason: why })));
  }
  const list = h('div', { class: 'cards' });
  recs.append(list);
  if (!r.vacancies.length) list.append(h('p', {}, t('rec.none')));
  else pagedList(r.vacancies, 5, (v) => vacancyCard(ctx, rec, v), list);

  const clist = h('div', { class: 'cards' });
  courses.append(clist);
  if (!r.train_then_apply.length) clist.append(h('p', {}, t('courses.none')));
  else pagedList(r.train_then_apply, 3, (c) => courseCard(ctx, rec, c), clist);
}

// The explanation in plain sentences, built from the structured fields
// (skills by name, commute and its cost against the wage), never from
// the scoring texts.
function explain(v, vac) {
  const ex = v.explanation || {};
  const name = (k) => (currentLang() === 'en' ? k.name_en : k.name_id);
  const out = [];
  const have = ex.matched_skills || [];
  const missing = ex.missing_skills || [];
  out.push(have.length ? t('rec.have', { list: joinList(have.map(name)) }) : t('rec.have.none'));
  out.push(missing.length ? t('rec.missing', { list: joinList(missing.map(name)) }) : t('rec.missing.none'));
  if (ex.commute_km !== undefined && ex.commute_km !== null && ex.commute_cost_monthly !== null && ex.commute_cost_monthly !== undefined) {
    const wage = vac && vac.wage_monthly;
    out.push(t('rec.commute', {
      km: num(ex.commute_km, 1),
      cost: rupiah(ex.commute_cost_monthly, 1000),
      share: wage ? pct(ex.commute_cost_monthly / wage) : t('common.unknown'),
    }));
  } else {
    out.push(t('rec.commute.unknown'));
  }
  return out;
}

function vacancyCard(ctx, rec, v) {
  const card = h('article', { class: 'card', 'aria-labelledby': `vac-${v.vacancy_id}` });
  const body = h('div', { class: 'card-body' }, h('p', {}, t('app.loading')));
  card.append(h('h3', { id: `vac-${v.vacancy_id}` }, v.title), h('p', { class: 'card-sub' }, v.employer.name), body);
  api('GET', `/v1/vacancies/${v.vacancy_id}`).then((vac) => drawVacancy(ctx, rec, v, vac, body), () => drawVacancy(ctx, rec, v, null, body));
  return card;
}

function drawVacancy(ctx, rec, v, vac, body) {
  clear(body);
  if (vac) {
    body.append(summaryList([
      [t('rec.wage'), rupiah(vac.wage_monthly)],
      [t('rec.shift'), vac.shift ? t(`shift.${vac.shift}`) : null],
      [t('rec.deadline'), date(vac.deadline)],
      [t('rec.openings'), num(vac.openings_left)],
      [t('rec.place'), vac.kelurahan ? `${vac.kelurahan.name}, ${vac.kecamatan ? vac.kecamatan.name : ''}` : null],
    ]));
  }
  body.append(h('h4', {}, t('rec.why')), h('ul', { class: 'reasons' }, explain(v, vac).map((x) => h('li', {}, x))));
  const out = h('div', { class: 'card-status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button' }, withContext(t('rec.refer'), `${v.title}, ${v.employer.name}`));
  button.addEventListener('click', () => busy(button, async () => {
    clear(out);
    try {
      const ref = await api('POST', '/v1/referrals', { resident_id: rec.id, vacancy_id: v.vacancy_id });
      button.remove();
      out.append(notice(t('rec.referred', { id: ref.id })),
        h('a', { class: 'button button--secondary', href: `#/desk/letter/${ref.id}` }, t('rec.letter')));
    } catch (e) {
      out.append(notice(apiErrors(e).map((x) => x.text).join(' '), 'error'));
    }
  }));
  body.append(out, button);
}

function courseCard(ctx, rec, c) {
  const card = h('article', { class: 'card', 'aria-labelledby': `course-${c.course_id}` });
  const body = h('div', { class: 'card-body' });
  const examples = (c.unlocked_vacancies || []).slice(0, 3).map((x) => `${x.title} (${x.employer.name})`);
  body.append(
    h('p', {}, t('courses.opens', { n: num(c.n_unlocked), examples: joinList(examples) })),
    c.placement_rate !== null && c.placement_rate !== undefined ? h('p', {}, t('courses.placement', { pct: pct(c.placement_rate) })) : null,
  );
  const batchArea = h('div', {}, h('p', {}, t('app.loading')));
  body.append(batchArea);
  card.append(h('h3', { id: `course-${c.course_id}` }, c.name), body);
  nextBatch(c.course_id).then((b) => drawBatch(rec, c, b, batchArea), () => drawBatch(rec, c, null, batchArea));
  return card;
}

// The first planned batch of a course that starts today or later and has
// seats left.
async function nextBatch(courseId) {
  const today = todayIso();
  let cursor = null;
  for (let i = 0; i < 10; i++) {
    const page = await api('GET', `/v1/courses/${courseId}/batches${qs({ limit: 100, cursor })}`);
    const b = page.items.find((x) => x.status === 'planned' && x.start_date >= today && x.places_left > 0);
    if (b) return b;
    if (!page.next_cursor) return null;
    cursor = page.next_cursor;
  }
  return null;
}

function drawBatch(rec, c, b, area) {
  clear(area);
  if (!b) {
    area.append(h('p', {}, t('courses.no_batch')));
    return;
  }
  area.append(h('p', {}, t('courses.next', { start: date(b.start_date), end: date(b.end_date), seats: num(b.places_left) })));
  const out = h('div', { class: 'card-status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button' }, withContext(t('courses.enrol'), `${c.name}, ${date(b.start_date)}`));
  button.addEventListener('click', () => busy(button, async () => {
    clear(out);
    try {
      const en = await api('POST', `/v1/batches/${b.id}/enrolments`, { resident_id: rec.id });
      button.remove();
      out.append(notice(t('courses.enrolled', { id: en.id })));
    } catch (e) {
      out.append(notice(apiErrors(e).map((x) => x.text).join(' '), 'error'));
    }
  }));
  area.append(out, button);
}

// ---- The referral letter -----------------------------------------------------------------

async function letterPage(ctx, refId) {
  let ref, rec, vac;
  try {
    ref = await api('GET', `/v1/referrals/${refId}`);
    [rec, vac] = await Promise.all([api('GET', `/v1/residents/${ref.resident.id}`), api('GET', `/v1/vacancies/${ref.vacancy.id}`)]);
  } catch (e) {
    return [h('h1', {}, t('letter.title')), notice(apiErrors(e).map((x) => x.text).join(' '), 'error')];
  }
  const printButton = h('button', { type: 'button', class: 'button no-print' }, t('letter.print'));
  printButton.addEventListener('click', () => window.print());
  return [
    h('a', { class: 'back-link no-print', href: `#/desk/resident/${rec.id}` }, t('letter.back')),
    h('article', { class: 'letter' },
      h('p', { class: 'letter-office' }, t('letter.office')),
      h('h1', {}, t('letter.title')),
      summaryList([
        [t('letter.number'), `R-${String(ref.id).padStart(6, '0')}`],
        [t('letter.date'), date(todayIso())],
        [t('letter.to'), `${vac.employer.name}${vac.kelurahan ? `, ${vac.kelurahan.name}` : ''}`],
      ]),
      h('p', {}, t('letter.body')),
      summaryList([
        [t('letter.resident'), rec.name],
        [t('letter.kelurahan'), ref.resident.kelurahan ? ref.resident.kelurahan.name : rec.kelurahan_code],
        [t('letter.vacancy'), `${vac.title} (${vac.code})`],
        [t('letter.wage'), rupiah(vac.wage_monthly)],
        [t('letter.shift'), vac.shift ? t(`shift.${vac.shift}`) : null],
      ]),
      h('p', {}, t('letter.bring')),
      h('p', { class: 'letter-sign' }, t('letter.issued_by'), h('br'), ctx.me.username)),
    printButton,
  ];
}

