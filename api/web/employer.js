// The employer's pages: its vacancies (post, edit), the pseudonymous
// shortlist for each with the reasons in plain words, and the referrals
// Disnaker sent, where interview and hiring outcomes are recorded. An
// employer sees a candidate's name and phone only once Disnaker has
// accepted the referral (the API sends them then, and only then); the page
// never asks for more.
//
// Routes: #/employer, #/employer/new, #/employer/vacancy/<id>,
// #/employer/vacancy/<id>/edit.

import { api, qs } from './api.js';
import {
  h, t, clear, field, showErrors, apiErrors, busy, notice, cursorList, pagedList, table, summaryList,
  withContext, rupiah, num, date, joinList, currentLang,
} from './render.js';

const VOCATIONS = ['manufacturing', 'garment', 'footwear', 'welding_metal', 'electrical', 'automotive', 'refrigeration',
  'logistics', 'airport', 'hospitality', 'culinary', 'retail', 'office', 'digital', 'care'];
const EDU = ['sd', 'smp', 'sma', 'smk', 'd3', 's1', 's2'];

export async function render(ctx) {
  const [view, id, sub] = ctx.params;
  if (view === 'new') return vacancyForm(ctx, null);
  if (view === 'vacancy' && /^\d+$/.test(id || '')) {
    let vac;
    try {
      vac = await api('GET', `/v1/vacancies/${id}`);
    } catch (e) {
      return [back(), h('h1', {}, t('emp.title')), errorNotice(e)];
    }
    return sub === 'edit' ? vacancyForm(ctx, vac) : vacancyPage(ctx, vac);
  }
  return listPage(ctx);
}

function errorNotice(e) {
  return notice(apiErrors(e).map((x) => x.text).join(' '), 'error');
}

function back() {
  return h('a', { class: 'back-link', href: '#/employer' }, t('common.back'));
}

function vocationName(v) {
  return t(`voc.${v}`);
}

// ---- The list --------------------------------------------------------------------------

function listPage(ctx) {
  const list = h('div', {});
  cursorList(list, (cursor) => api('GET', `/v1/vacancies${qs({ limit: 10, cursor })}`), (items, c) => {
    if (!items.length) {
      c.append(h('p', {}, t('emp.none')));
      return;
    }
    c.append(table(t('emp.title'), [t('emp.vacancy.title'), t('emp.vacancy.status'), t('rec.openings'), t('rec.wage'), t('rec.deadline'), t('kel.action')],
      items.map((v) => [v.title, t(`vstatus.${v.status}`), num(v.openings_left), rupiah(v.wage_monthly), date(v.deadline),
        h('span', { class: 'actions' },
          h('a', { href: `#/employer/vacancy/${v.id}` }, withContext(t('emp.shortlist'), v.title)), ' ',
          h('a', { href: `#/employer/vacancy/${v.id}/edit` }, withContext(t('emp.edit.short'), v.title)))])));
  });
  return [h('h1', {}, t('emp.title')), h('a', { class: 'button', href: '#/employer/new' }, t('emp.new')), list];
}

// ---- Post or edit ------------------------------------------------------------------------

function vacancyForm(ctx, vac) {
  const ids = { title: 'vac-title', vocation: 'vac-vocation', openings: 'vac-openings', wage_monthly: 'vac-wage', shift: 'vac-shift', deadline: 'vac-deadline', min_education: 'vac-education', status: 'vac-status' };
  const v = vac || {};
  const form = h('form', { class: 'form', novalidate: true },
    field({ id: ids.title, label: t('emp.vacancy.title'), value: v.title, attrs: { autocomplete: 'off' } }),
    field({ id: ids.vocation, label: t('emp.vacancy.vocation'), value: v.vocation || '', options: [['', t('emp.choose')], ...VOCATIONS.map((x) => [x, vocationName(x)])] }),
    field({ id: ids.openings, label: t('emp.vacancy.openings'), value: v.openings ?? '', attrs: { inputmode: 'numeric', autocomplete: 'off', class: 'input--short' } }),
    field({ id: ids.wage_monthly, label: t('emp.vacancy.wage'), hint: t('emp.vacancy.wage.hint'), value: v.wage_monthly ?? '', attrs: { inputmode: 'numeric', autocomplete: 'off', class: 'input--money' } }),
    field({ id: ids.shift, label: t('emp.vacancy.shift'), value: v.shift || '', options: [['', t('common.unknown')], ...['day', 'night', 'rotating'].map((x) => [x, t(`shift.${x}`)])] }),
    field({ id: ids.deadline, label: t('emp.vacancy.deadline'), type: 'date', value: v.deadline || '' }),
    field({ id: ids.min_education, label: t('emp.vacancy.education'), value: v.min_education || '', options: [['', t('common.none')], ...EDU.map((x) => [x, t(`edu.${x}`)])] }),
    field({ id: ids.status, label: t('emp.vacancy.status'), value: v.status || 'open', options: ['draft', 'open', 'closed'].filter((x) => vac || x !== 'closed').map((x) => [x, t(`vstatus.${x}`)]) }),
    h('button', { type: 'submit', class: 'button' }, t('emp.vacancy.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const val = (k) => form.querySelector(`#${ids[k]}`).value.trim();
    const errors = [];
    if (!val('title')) errors.push({ field: ids.title, text: t('emp.err.title') });
    if (!val('vocation')) errors.push({ field: ids.vocation, text: t('emp.err.vocation') });
    if (!/^\d+$/.test(val('openings')) || Number(val('openings')) < 1) errors.push({ field: ids.openings, text: t('emp.err.openings') });
    if (!/^\d+$/.test(val('wage_monthly')) || Number(val('wage_monthly')) < 1) errors.push({ field: ids.wage_monthly, text: t('emp.err.wage') });
    if (errors.length) return showErrors(form, errors);
    const body = {
      title: val('title'), vocation: val('vocation'), openings: Number(val('openings')), wage_monthly: Number(val('wage_monthly')),
      shift: val('shift') || null, deadline: val('deadline') || null, min_education: val('min_education') || null, status: val('status'),
    };
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        const saved = vac ? await api('PATCH', `/v1/vacancies/${vac.id}`, body) : await api('POST', '/v1/vacancies', body);
        flash = t('emp.vacancy.saved');
        ctx.go(`#/employer/vacancy/${saved.id}`);
      } catch (e) {
        showErrors(form, apiErrors(e, ids));
      }
    });
  });
  return [back(), h('h1', {}, vac ? t('emp.edit') : t('emp.new')), form];
}

let flash = null;

// ---- One vacancy: shortlist and referrals -------------------------------------------------

function vacancyPage(ctx, vac) {
  const status = h('div', { 'aria-live': 'polite' });
  if (flash) status.append(notice(flash));
  flash = null;
  const refs = h('div', {});
  const cands = h('div', {}, h('p', {}, t('app.loading')));
  const page = [
    back(),
    h('h1', {}, vac.title),
    summaryList([
      [t('emp.vacancy.status'), t(`vstatus.${vac.status}`)],
      [t('rec.wage'), rupiah(vac.wage_monthly)],
      [t('rec.openings'), `${num(vac.openings_left)} / ${num(vac.openings)}`],
      [t('rec.shift'), vac.shift ? t(`shift.${vac.shift}`) : null],
      [t('rec.deadline'), date(vac.deadline)],
    ]),
    h('a', { class: 'button button--secondary', href: `#/employer/vacancy/${vac.id}/edit` }, t('emp.edit')),
    status,
    h('section', { 'aria-labelledby': 'refs-title' }, h('h2', { id: 'refs-title' }, t('emp.ref.title')), refs),
    h('section', { 'aria-labelledby': 'cands-title' }, h('h2', { id: 'cands-title' }, t('emp.cand.title', { title: vac.title })),
      h('p', {}, t('emp.cand.intro')), cands),
  ];
  loadReferrals(vac, refs, status);
  loadCandidates(vac, cands);
  return page;
}

// The moves an employer may make from a referral's status.
const NEXT = { confirmed: ['interviewed', 'rejected'], interviewed: ['hired', 'rejected'] };

function loadReferrals(vac, area, status) {
  return cursorList(area, (cursor) => api('GET', `/v1/referrals${qs({ vacancy_id: vac.id, limit: 10, cursor })}`), (items, c) => {
    if (!items.length) {
      c.append(h('p', {}, t('emp.ref.none')));
      return;
    }
    c.append(h('ul', { class: 'hits' }, items.map((r) => {
      const who = r.contact ? `${r.contact.name}${r.contact.phone ? ` · ${r.contact.phone}` : ''}` : r.candidate_id;
      const actions = (NEXT[r.status] || []).map((to) => {
        const b = h('button', { type: 'button', class: to === 'rejected' ? 'button button--secondary' : 'button' }, withContext(t(`emp.ref.to.${to}`), r.contact ? r.contact.name : r.candidate_id));
        b.addEventListener('click', () => busy(b, async () => {
          clear(status);
          try {
            await api('PATCH', `/v1/referrals/${r.id}`, { status: to });
            status.append(notice(t('emp.ref.saved')));
            loadReferrals(vac, area, status);
          } catch (e) {
            status.append(errorNotice(e));
          }
        }));
        return b;
      });
      return h('li', { class: 'hit' },
        h('div', { class: 'hit-main' },
          h('span', { class: 'hit-name' }, who),
          h('span', { class: 'hit-meta' }, `${t('emp.ref.status')}: ${t(`status.${r.status}`)}`),
          r.contact ? null : h('span', { class: 'hit-meta' }, t('emp.ref.pending'))),
        h('div', { class: 'hit-actions' }, actions));
    })));
  });
}

async function loadCandidates(vac, area) {
  let r;
  try {
    r = await api('GET', `/v1/vacancies/${vac.id}/candidates${qs({ limit: 50 })}`);
  } catch (e) {
    clear(area).append(errorNotice(e));
    return;
  }
  clear(area);
  if (!r.items.length) {
    area.append(h('p', {}, t('emp.cand.none')));
    return;
  }
  const list = h('div', { class: 'cards' });
  area.append(list);
  pagedList(r.items, 6, (c) => candidateCard(c), list);
}

function candidateCard(c) {
  const lang = currentLang();
  const name = (k) => (lang === 'en' ? k.name_en : k.name_id);
  const ex = c.explanation || {};
  const reasons = [];
  const have = ex.matched_skills || [];
  const missing = ex.missing_skills || [];
  reasons.push(have.length ? t('rec.have', { list: joinList(have.map(name)) }) : t('rec.have.none'));
  if (missing.length) reasons.push(t('rec.missing', { list: joinList(missing.map(name)) }));
  // an employer sees the commute as a band only: a finer distance would locate the home
  if (typeof ex.commute_band === 'string') reasons.push(t('emp.cand.band', { band: t(`band.${ex.commute_band}`) }));
  return h('article', { class: 'card', 'aria-label': `${t('emp.cand.id')} ${c.candidate_id}` },
    h('h3', {}, `${t('emp.cand.id')} ${c.candidate_id.slice(0, 8)}`),
    summaryList([
      [t('emp.cand.age'), c.age_band],
      [t('kel.kecamatan'), c.kecamatan],
      [t('res.education'), c.education ? t(`edu.${c.education}`) : null],
      [t('res.skills'), c.skills && c.skills.length ? joinList(c.skills.map((k) => `${name(k)}${k.certified ? ` (${t('res.certified')})` : ''}`)) : t('common.none')],
    ]),
    h('h4', {}, t('rec.why')),
    h('ul', { class: 'reasons' }, reasons.map((x) => h('li', {}, x))));
}
