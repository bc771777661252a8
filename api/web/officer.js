// The Disnaker officer's pages: the kelurahan table with poverty, NEET,
// the priority index and pins, an SVG map from the kelurahan centroids,
// match runs and the review of their proposals (filters, bulk confirm or
// withdraw), follow-ups due 3 and 6 months after a hire, the DTSEN import
// with its error report row by row, and the reports as charts with tables
// and CSV downloads.
//
// Routes: #/officer, #/officer/runs, #/officer/runs/<id>, #/officer/followups,
// #/officer/import, #/officer/reports.

import { api, qs } from './api.js';
import {
  h, s, t, clear, field, showErrors, apiErrors, busy, notice, cursorList, pagedList, pagedTable, table,
  withContext, num, pct, rupiah, date, todayIso, download, currentLang,
} from './render.js';
import { barChart, groupedBars, chartWithTable } from './charts.js';

const TABS = [
  ['', 'officer.nav.kelurahan'],
  ['runs', 'officer.nav.runs'],
  ['followups', 'officer.nav.followups'],
  ['import', 'officer.nav.import'],
  ['reports', 'officer.nav.reports'],
];

export async function render(ctx) {
  const [view, id] = ctx.params;
  const nav = h('nav', { class: 'subnav', 'aria-label': t('app.nav') }, h('ul', {}, TABS.map(([p, key]) =>
    h('li', {}, h('a', { href: `#/officer${p ? `/${p}` : ''}`, 'aria-current': (view || '') === p ? 'page' : false }, t(key))))));
  let body;
  if (view === 'runs' && /^\d+$/.test(id || '')) body = await proposalsPage(ctx, Number(id));
  else if (view === 'runs') body = await runsPage(ctx);
  else if (view === 'followups') body = await followupsPage(ctx);
  else if (view === 'import') body = importPage(ctx);
  else if (view === 'reports') body = await reportsPage(ctx);
  else body = await kelurahanPage(ctx);
  return [nav, body].flat();
}

function errorNotice(e) {
  return notice(apiErrors(e).map((x) => x.text).join(' '), 'error');
}

// ---- Kelurahan, priority and the map ------------------------------------------------

async function kelurahanPage(ctx) {
  let list;
  try {
    list = await api('GET', '/v1/kelurahan');
  } catch (e) {
    return [h('h1', {}, t('kel.title')), errorNotice(e)];
  }
  const items = list.items;
  const status = h('div', { 'aria-live': 'polite' });
  const tableArea = h('div', {});
  const mapArea = h('div', {});
  const state = { page: 1 };
  const draw = () => {
    clear(mapArea).append(map(items));
    clear(tableArea).append(kelurahanTable(items, status, state, draw));
  };
  draw();
  return [h('h1', {}, t('kel.title')), h('p', { class: 'lead' }, t('kel.intro')), status,
    h('h2', {}, t('kel.map')), h('p', { class: 'legend' }, t('kel.map.desc')), mapArea, tableArea];
}

function share(part, whole) {
  return whole ? part / whole : 0;
}

// The kelurahan table, 20 rows a page, with a pin or unpin button per row.
function kelurahanTable(items, status, state, redraw) {
  const rows = items.map((k) => {
    const pinned = k.priority_source === 'pinned' || k.pinned === true;
    const button = h('button', { type: 'button', class: 'button button--secondary' }, withContext(pinned ? t('kel.unpin') : t('kel.pin'), k.name));
    button.addEventListener('click', () => busy(button, async () => {
      clear(status);
      try {
        const updated = await api(pinned ? 'DELETE' : 'POST', `/v1/kelurahan/${encodeURIComponent(k.code)}/pin`);
        Object.assign(k, updated);
        status.append(notice(t('common.saved')));
        redraw();
      } catch (e) {
        status.append(errorNotice(e));
      }
    }));
    return [k.name, k.kecamatan ? k.kecamatan.name : '', num(k.counts.residents), pct(share(k.counts.poor, k.counts.residents)),
      num(k.counts.neet), num(k.priority_index, 1),
      k.priority ? `${t('common.yes')}${pinned ? ` (${t('kel.pinned')})` : ''}` : t('common.no'), button];
  });
  return pagedTable(t('kel.table'), [t('kel.name'), t('kel.kecamatan'), t('kel.residents'), t('kel.poverty'), t('kel.neet'), t('kel.index'), t('kel.priority'), t('kel.action')], rows, 20, state);
}

// The 104 kelurahan as dots at their centroids (an equirectangular
// projection is exact enough for one city), darker for a higher share of
// poor residents, ringed when a priority.
function map(items) {
  const pts = items.filter((k) => typeof k.lat === 'number' && typeof k.lon === 'number');
  const lats = pts.map((k) => k.lat);
  const lons = pts.map((k) => k.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const W = 600;
  const kx = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = (maxLon - minLon) * kx || 1;
  const spanY = maxLat - minLat || 1;
  const H = Math.round((W * spanY) / spanX);
  const pad = 14;
  const x = (lon) => pad + ((lon - minLon) * kx / spanX) * (W - 2 * pad);
  const y = (lat) => pad + ((maxLat - lat) / spanY) * (H - 2 * pad);
  const title = t('kel.map');
  return h('div', { class: 'map' }, s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}. ${t('kel.map.desc')}`, focusable: 'false' },
    pts.map((k) => {
      const p = share(k.counts.poor, k.counts.residents);
      const band = Math.min(4, Math.floor(p * 5));
      return s('g', {},
        s('circle', { class: `dot dot--p${band}`, cx: x(k.lon).toFixed(1), cy: y(k.lat).toFixed(1), r: 6 }, s('title', {}, `${k.name}: ${pct(p)}`)),
        k.priority ? s('circle', { class: 'ring', cx: x(k.lon).toFixed(1), cy: y(k.lat).toFixed(1), r: 9.5 }) : null);
    })));
}

// ---- Match runs and their proposals ----------------------------------------------------

async function runsPage(ctx) {
  const status = h('div', { 'aria-live': 'polite' });
  const start = h('button', { type: 'button', class: 'button' }, t('runs.start'));
  const list = h('div', {});
  start.addEventListener('click', () => busy(start, async () => {
    clear(status);
    try {
      const run = await api('POST', '/v1/match-runs', {});
      status.append(notice(t('runs.done', { id: run.id, n: num(run.n_proposals) })),
        h('a', { class: 'button button--secondary', href: `#/officer/runs/${run.id}` }, t('runs.review')));
      drawRuns(list);
    } catch (e) {
      status.append(errorNotice(e));
    }
  }));
  drawRuns(list);
  return [h('h1', {}, t('runs.title')), h('p', { class: 'lead' }, t('runs.intro')), start, status, list];
}

function drawRuns(list) {
  return cursorList(list, (cursor) => api('GET', `/v1/match-runs${qs({ limit: 10, cursor })}`), (items, c) => {
    if (!items.length) return;
    c.append(table(t('officer.nav.runs'), ['#', t('letter.date'), t('rep.count'), ''], items.map((r) => [
      String(r.id), date(r.created_at), num(r.n_proposals),
      h('a', { href: `#/officer/runs/${r.id}` }, withContext(t('runs.review'), `#${r.id}`))])));
  });
}

const proposalFilters = { kind: '', desil: '', status: 'proposed', kelurahan: '' };

async function proposalsPage(ctx, runId) {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', {});
  const f = proposalFilters;
  let places = [];
  try {
    places = (await api('GET', '/v1/kelurahan')).items;
  } catch (e) {
    places = [];
  }
  const form = h('form', { class: 'form filters', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('prop.filters')),
      field({ id: 'prop-kelurahan', label: t('kel.name'), value: f.kelurahan, options: [['', t('prop.kind.any')], ...places.map((k) => [k.code, k.name])] }),
      field({ id: 'prop-kind', label: t('prop.kind'), value: f.kind, options: [['', t('prop.kind.any')], ['referral', t('prop.kind.referral')], ['course_step', t('prop.kind.course_step')]] }),
      field({ id: 'prop-desil', label: t('prop.desil'), value: f.desil, options: [['', t('prop.kind.any')], ['1', '1'], ['1-4', '1–4'], ['5-10', '5–10']] }),
      field({ id: 'prop-status', label: t('prop.status'), value: f.status, options: [['', t('prop.kind.any')], ...['proposed', 'confirmed', 'withdrawn'].map((x) => [x, t(`status.${x}`)])] }),
      h('button', { type: 'submit', class: 'button button--secondary' }, t('prop.apply'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    f.kind = form.querySelector('#prop-kind').value;
    f.desil = form.querySelector('#prop-desil').value;
    f.status = form.querySelector('#prop-status').value;
    f.kelurahan = form.querySelector('#prop-kelurahan').value;
    busy(form.querySelector('button[type=submit]'), load); // shows progress until the list is redrawn
  });
  const load = () => cursorList(list, (cursor) => api('GET', `/v1/match-runs/${runId}/proposals${qs({ limit: 25, cursor, kind: f.kind, desil: f.desil, status: f.status, kelurahan: f.kelurahan })}`),
    (items, c) => drawProposals(items, c, status, load));
  load();
  return [h('a', { class: 'back-link', href: '#/officer/runs' }, t('common.back')), h('h1', {}, t('prop.title', { id: runId })), form, status, list];
}

function proposalName(p) {
  if (p.vacancy) return `${p.vacancy.title} — ${p.vacancy.employer_name || (p.vacancy.employer && p.vacancy.employer.name) || ''}`;
  if (p.batch) return `${p.batch.course_name} (${date(p.batch.start_date)})`;
  return '';
}

// The explanation of a proposal in one or two plain sentences.
function proposalReason(p) {
  const ex = p.explanation || {};
  const lang = currentLang();
  if (ex.reason_id || ex.reason_en) return lang === 'en' ? ex.reason_en : ex.reason_id;
  const name = (k) => (lang === 'en' ? k.name_en : k.name_id);
  const out = [];
  if (ex.matched_skills && ex.matched_skills.length) out.push(t('rec.have', { list: ex.matched_skills.map(name).join(', ') }));
  if (ex.missing_skills && ex.missing_skills.length) out.push(t('rec.missing', { list: ex.missing_skills.map(name).join(', ') }));
  if (typeof ex.commute_km === 'number' && typeof ex.commute_cost_monthly === 'number') {
    out.push(t('emp.cand.commute', { km: num(ex.commute_km, 1), cost: rupiah(ex.commute_cost_monthly, 1000) }));
  }
  return out.join(' ');
}

function drawProposals(items, c, status, reload) {
  if (!items.length) {
    c.append(h('p', {}, t('prop.none')));
    return;
  }
  const boxes = [];
  const all = h('input', { type: 'checkbox', id: 'prop-all' });
  all.addEventListener('change', () => boxes.forEach((b) => { b.checked = all.checked; }));
  const rows = items.map((p, i) => {
    const kind = p.kind || 'referral';
    const box = h('input', { type: 'checkbox', id: `prop-${i}`, 'data-kind': kind, 'data-id': String(p.id) });
    boxes.push(box);
    return [
      h('span', { class: 'check' }, box, h('label', { for: `prop-${i}` }, h('span', { class: 'visually-hidden' }, t('prop.select', { name: p.resident.name })))),
      p.resident.name,
      p.resident.kelurahan ? p.resident.kelurahan.name : '',
      p.resident.desil ?? '',
      t(`prop.kind.${kind}`),
      proposalName(p),
      proposalReason(p),
      t(`status.${p.status}`),
    ];
  });
  const tbl = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('prop.filters') },
    h('table', { class: 'table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, h('span', { class: 'check' }, all, h('label', { for: 'prop-all' }, h('span', { class: 'visually-hidden' }, t('prop.select_all'))))),
        [t('desk.results.name'), t('kel.name'), t('prop.desil'), t('prop.kind'), t('prop.offer'), t('rec.why'), t('prop.status')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell) => h('td', {}, cell)))))));
  const decide = (action, button) => busy(button, async () => {
    clear(status);
    const decisions = boxes.filter((b) => b.checked).map((b) => ({ kind: b.dataset.kind, id: Number(b.dataset.id), action }));
    if (!decisions.length) {
      status.append(notice(t('prop.none_selected'), 'error'));
      return;
    }
    try {
      const r = await api('POST', '/v1/proposals/decisions', { decisions });
      status.append(notice(t('prop.decided', { n: r.results.length })));
      reload();
    } catch (e) {
      const lines = (e.problem && e.problem.errors) || [];
      status.append(h('div', { class: 'error-summary', role: 'alert' }, h('h2', {}, t('common.error.title')),
        h('p', {}, e.text ? e.text(currentLang()) || '' : ''),
        h('ul', {}, lines.map((x) => h('li', {}, `${x.kind || ''} ${x.id || ''}: ${x.detail || x.detail_id || x.code || ''}`)))));
    }
  });
  const confirm = h('button', { type: 'button', class: 'button' }, t('prop.confirm'));
  const withdraw = h('button', { type: 'button', class: 'button button--warning' }, t('prop.withdraw'));
  confirm.addEventListener('click', () => decide('confirm', confirm));
  withdraw.addEventListener('click', () => decide('withdraw', withdraw));
  c.append(tbl, h('div', { class: 'actions' }, confirm, withdraw));
}

// ---- Follow-ups --------------------------------------------------------------------

function monthsAgo(n) {
  const d = new Date(`${todayIso()}T12:00:00+07:00`);
  d.setMonth(d.getMonth() - n);
  return d.toISOString().slice(0, 10);
}

// Hired residents due their 3-month check, and those retained 3 months
// due their 6-month check (the referral moved status on that date).
async function followupsPage(ctx) {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', {});
  const due = [];
  try {
    for (const [st, months, next] of [['hired', 3, 'retained_3m'], ['retained_3m', 3, 'retained_6m']]) {
      let cursor = null;
      do {
        const page = await api('GET', `/v1/referrals${qs({ status: st, limit: 500, cursor })}`);
        for (const r of page.items) if ((r.updated_at || '').slice(0, 10) <= monthsAgo(months)) due.push({ r, next });
        cursor = page.next_cursor;
      } while (cursor);
    }
  } catch (e) {
    return [h('h1', {}, t('fu.title')), errorNotice(e)];
  }
  if (!due.length) list.append(h('p', {}, t('fu.none')));
  else pagedList(due, 20, ({ r, next }) => {
    const keep = h('button', { type: 'button', class: 'button' }, withContext(t(`status.${next}`) || next, r.resident.name));
    const left = h('button', { type: 'button', class: 'button button--secondary' }, withContext(t('status.left'), r.resident.name));
    const act = (to, b) => busy(b, async () => {
      clear(status);
      try {
        await api('PATCH', `/v1/referrals/${r.id}`, { status: to });
        status.append(notice(t('common.saved')));
        b.closest('.card').remove();
      } catch (e) {
        status.append(errorNotice(e));
      }
    });
    keep.addEventListener('click', () => act(next, keep));
    left.addEventListener('click', () => act('left', left));
    return h('article', { class: 'card' }, h('h3', {}, r.resident.name),
      h('p', { class: 'card-sub' }, `${r.vacancy.title} — ${r.vacancy.employer ? r.vacancy.employer.name : ''}`),
      h('p', {}, `${t(`status.${r.status}`)}: ${date(r.updated_at)}`), keep, left);
  }, list);
  return [h('h1', {}, t('fu.title')), h('p', { class: 'lead' }, t('fu.intro')), status, list];
}

// ---- DTSEN import ---------------------------------------------------------------------------

function importPage(ctx) {
  const report = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form', novalidate: true },
    field({ id: 'imp-file', label: t('imp.file'), type: 'file', attrs: { accept: '.csv,text/csv' } }),
    h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'imp-dry', checked: true }), h('label', { for: 'imp-dry' }, t('imp.dry'))),
    h('button', { type: 'submit', class: 'button' }, t('imp.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(report);
    const file = form.querySelector('#imp-file').files[0];
    if (!file) return showErrors(form, [{ field: 'imp-file', text: t('imp.nofile') }]);
    const dry = form.querySelector('#imp-dry').checked;
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        const text = await file.text();
        const r = await api('POST', `/v1/imports/dtsen${qs({ dry_run: dry ? 'true' : '' })}`, text, { type: 'text/csv' });
        showErrors(form, []);
        report.append(notice(t('imp.ok', { rows: num(r.rows) })), importIssues(r));
      } catch (e) {
        // the report: the 422's body itself, or its "report" member (problem+json)
        const body = e.problem || {};
        const rep = body.issues ? body : body.report && body.report.issues ? body.report : null;
        if (rep) {
          showErrors(form, [{ field: 'imp-file', text: t('imp.invalid', { n: num(rep.errors ?? rep.issues.length) }) }]);
          report.append(importIssues(rep));
        } else {
          showErrors(form, apiErrors(e));
        }
      }
    });
  });
  return [h('h1', {}, t('imp.title')), h('p', { class: 'lead' }, t('imp.intro')), form, report];
}

// The report's issues row by row, paged (the value itself is not shown:
// it may be a NIK).
function importIssues(rep) {
  const issues = rep.issues || [];
  if (!issues.length) return h('div', {});
  const rows = issues.map((x) => [String(x.line ?? x.row ?? ''), x.column || '', currentLang() === 'en' ? x.message_en : x.message_id]);
  return h('section', {}, h('h2', {}, t('imp.errors')), pagedTable(t('imp.errors'), [t('imp.row'), t('imp.column'), t('imp.problem')], rows, 25));
}

// ---- Reports ------------------------------------------------------------------------------------

const FUNNEL_STAGES = ['proposed', 'confirmed', 'interviewed', 'hired', 'retained_3m', 'retained_6m'];
const TARGET_STAGES = ['eligible', 'proposed', 'referred', 'hired', 'retained'];
const TARGET_GROUPS = ['poor', 'extreme_poor', 'priority_kelurahan', 'female', 'disability'];

// A report's stage or group in the page's language (texts in i18n/).
function stageName(x) {
  return t(`rep.${x}`);
}

async function csvButton(path, name) {
  const b = h('button', { type: 'button', class: 'button button--secondary' }, withContext(t('common.download_csv'), name));
  b.addEventListener('click', () => busy(b, async () => {
    const text = await api('GET', `${path}${path.includes('?') ? '&' : '?'}format=csv`, undefined, { text: true });
    download(`${path.split('/').pop().split('?')[0]}.csv`, text);
  }));
  return b;
}

async function reportsPage(ctx) {
  const out = [h('h1', {}, t('rep.title'))];
  // funnel
  try {
    const f = await api('GET', '/v1/reports/funnel');
    const rows = FUNNEL_STAGES.map((st) => ({ label: stageName(st), value: f.total[st] || 0 }));
    out.push(h('section', { 'aria-labelledby': 'rep-funnel' }, h('h2', { id: 'rep-funnel' }, t('rep.funnel')),
      chartWithTable(barChart(t('rep.funnel'), rows), t('rep.table', { name: t('rep.funnel') }), [t('rep.stage'), t('rep.count')], rows.map((r) => [r.label, num(r.value)])),
      await csvButton('/v1/reports/funnel', t('rep.funnel'))));
  } catch (e) {
    out.push(h('h2', {}, t('rep.funnel')), errorNotice(e));
  }
  // targeting
  try {
    const r = await api('GET', '/v1/reports/targeting');
    const val = (g, st) => (r.rows.find((x) => x.group === g && x.stage === st) || {}).share || 0;
    const groups = TARGET_GROUPS.map((g) => ({ label: stageName(g), values: TARGET_STAGES.map((st) => val(g, st)) }));
    out.push(h('section', { 'aria-labelledby': 'rep-targeting' }, h('h2', { id: 'rep-targeting' }, t('rep.targeting')),
      chartWithTable(groupedBars(t('rep.targeting'), TARGET_STAGES.map(stageName), groups), t('rep.table', { name: t('rep.targeting') }),
        [t('rep.group'), ...TARGET_STAGES.map(stageName)], groups.map((g) => [g.label, ...g.values.map((v) => pct(v))])),
      await csvButton('/v1/reports/targeting', t('rep.targeting'))));
  } catch (e) {
    out.push(h('h2', {}, t('rep.targeting')), errorNotice(e));
  }
  // overlap and unserved lists (contracts.md), shown as their rows
  for (const [path, key] of [['/v1/reports/overlaps', 'rep.overlaps'], ['/v1/reports/unserved', 'rep.unserved']]) {
    const sec = h('section', { 'aria-labelledby': `rep-${key}` }, h('h2', { id: `rep-${key}` }, t(key)));
    try {
      const r = await api('GET', path);
      const rows = r.rows || r.items || [];
      const cols = rows.length ? Object.keys(rows[0]).filter((c) => typeof rows[0][c] !== 'object' || rows[0][c] === null) : [];
      const area = h('div', {});
      if (!rows.length) area.append(h('p', {}, t('common.none')));
      else area.append(pagedTable(t(key), cols, rows.map((x) => cols.map((c) => (x[c] === null || x[c] === undefined ? '' : String(x[c])))), 20));
      sec.append(area, await csvButton(path, t(key)));
    } catch (e) {
      sec.append(h('p', {}, e.status === 404 ? t('rep.unavailable') : apiErrors(e).map((x) => x.text).join(' ')));
    }
    out.push(sec);
  }
  return out;
}
