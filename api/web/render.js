// Rendering helpers shared by every page: elements built with
// createElement and text nodes only (data never reaches the DOM as HTML),
// the texts of the current language, Indonesian number and date formats,
// the error summary, busy buttons and pagination.

import id from './i18n/id.js';
import en from './i18n/en.js';

const LANG_KEY = 'padan.lang';
const texts = { id, en };
let lang = sessionStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';

export function currentLang() {
  return lang;
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'id';
  sessionStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

// The text for key in the current language, {name} replaced from vars.
export function t(key, vars = {}) {
  const s = texts[lang][key] ?? texts.id[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// An element: h('p', {class: 'x', onclick: fn}, 'text', child, [more]).
// Strings become text nodes; null and false are skipped.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// ---- Numbers and dates, the Indonesian way ----------------------------------

function locale() {
  return lang === 'en' ? 'en-GB' : 'id-ID';
}

// Rupiah always in the Indonesian format (Rp1.250.000); round to a
// multiple of `step` for estimates.
export function rupiah(n, step = 1) {
  if (n === null || n === undefined) return t('common.unknown');
  const v = Math.round(n / step) * step;
  return 'Rp' + new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 }).format(v);
}

export function num(n, digits = 0) {
  if (n === null || n === undefined) return t('common.unknown');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

export function pct(x, digits = 0) {
  if (x === null || x === undefined) return t('common.unknown');
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(x);
}

// An ISO date (YYYY-MM-DD) or time as a long date in WIB.
export function date(iso) {
  if (!iso) return t('common.unknown');
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00+07:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(d);
}

// Today in WIB as YYYY-MM-DD.
export function todayIso() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
}

// A list of names joined the way the language does ("a, b dan c").
export function joinList(items) {
  return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(items);
}

// ---- Forms and errors ----------------------------------------------------------

// A labelled field with an optional hint and its error slot. opts: {id,
// label, hint, type, value, options: [[value, text]], required, attrs}.
export function field(opts) {
  const hintId = opts.hint ? `${opts.id}-hint` : null;
  const errId = `${opts.id}-error`;
  let control;
  const common = { id: opts.id, name: opts.name || opts.id, 'aria-describedby': [hintId, errId].filter(Boolean).join(' '), ...(opts.attrs || {}) };
  if (opts.options) {
    control = h('select', common, opts.options.map(([v, text]) => h('option', { value: v, selected: String(opts.value ?? '') === String(v) }, text)));
  } else if (opts.type === 'textarea') {
    control = h('textarea', { ...common, rows: 3 }, opts.value ?? '');
  } else {
    control = h('input', { ...common, type: opts.type || 'text', value: opts.value ?? '' });
  }
  return h('div', { class: 'field', id: `${opts.id}-field` },
    h('label', { for: opts.id }, opts.label),
    opts.hint ? h('p', { class: 'hint', id: hintId }, opts.hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true }),
    control);
}

// Shows errors ([{field: element id or null, text}]) in a summary at the
// top of container and next to each field; focuses the summary.
export function showErrors(container, errors) {
  clearErrors(container);
  if (!errors.length) return;
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', {}, t('common.error.title')),
    h('ul', {}, errors.map((e) => {
      const target = e.field ? container.querySelector(`#${CSS.escape(e.field)}`) : null;
      if (target) {
        const wrap = container.querySelector(`#${CSS.escape(e.field)}-field`);
        if (wrap) wrap.classList.add('field--error');
        const slot = container.querySelector(`#${CSS.escape(e.field)}-error`);
        if (slot) {
          slot.textContent = e.text;
          slot.hidden = false;
        }
        // the server's messages do not name the field: the summary does
        const label = e.server ? container.querySelector(`label[for="${CSS.escape(e.field)}"]`) : null;
        const text = label ? `${label.textContent}: ${e.text}` : e.text;
        return h('li', {}, h('a', { href: `#${e.field}`, onclick: (ev) => { ev.preventDefault(); target.focus(); } }, text));
      }
      return h('li', {}, e.text);
    })));
  container.prepend(summary);
  summary.focus();
}

export function clearErrors(container) {
  container.querySelectorAll(':scope > .error-summary').forEach((n) => n.remove());
  container.querySelectorAll('.field--error').forEach((n) => n.classList.remove('field--error'));
  container.querySelectorAll('.field-error').forEach((n) => { n.textContent = ''; n.hidden = true; });
}

// The errors of an ApiError as [{field, text}], each field mapped to an
// element id through fieldIds ({api field: element id}).
export function apiErrors(err, fieldIds = {}) {
  if (!err || typeof err.fields !== 'function') return [{ field: null, text: String(err) }];
  if (err.status === 0) return [{ field: null, text: t('common.error.network') }];
  const fields = err.fields(lang);
  const out = fields.map((f) => ({ field: fieldIds[f.field] || null, server: true, text: f.field && !fieldIds[f.field] ? `${f.field}: ${f.text}` : f.text }));
  if (!out.length) out.push({ field: null, text: err.text(lang) || `HTTP ${err.status}` });
  return out;
}

// Runs fn while button shows it is busy (disabled, aria-busy, "Working…").
export async function busy(button, fn) {
  const label = Array.from(button.childNodes);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = t('common.busy');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.replaceChildren(...label);
  }
}

// A button or link text with more context for screen readers only (the
// visible words start the accessible name, as WCAG 2.5.3 asks).
export function withContext(visible, context) {
  return [visible, h('span', { class: 'visually-hidden' }, `: ${context}`)];
}

// A status message (polite live region).
export function notice(text, kind = 'success') {
  return h('div', { class: `notice notice--${kind}`, role: 'status' }, text);
}

// Previous / next buttons for a list. state: {page (1-based), hasPrev,
// hasNext}; onPrev/onNext re-render the list.
export function pager(state, onPrev, onNext) {
  return h('nav', { class: 'pager', 'aria-label': t('common.pagination') },
    h('button', { type: 'button', class: 'button button--secondary', disabled: !state.hasPrev, onclick: onPrev }, t('common.prev')),
    h('span', { class: 'pager-page' }, t('common.page', { n: state.page })),
    h('button', { type: 'button', class: 'button button--secondary', disabled: !state.hasNext, onclick: onNext }, t('common.next')));
}

// A list paged in the page (items already loaded), size per page.
export function pagedList(items, size, renderItem, container) {
  let page = 1;
  const pages = Math.max(1, Math.ceil(items.length / size));
  const draw = () => {
    clear(container);
    container.append(...items.slice((page - 1) * size, page * size).map(renderItem));
    if (pages > 1) container.append(pager({ page, hasPrev: page > 1, hasNext: page < pages }, () => { page--; draw(); }, () => { page++; draw(); }));
  };
  draw();
}

// A list paged by the API's cursor: load(cursor) resolves to {items,
// next_cursor}; draw(items, container) renders one page.
export function cursorList(container, load, draw) {
  const cursors = [null];
  let page = 1;
  const show = async () => {
    let body;
    try {
      body = await load(cursors[page - 1]);
    } catch (e) {
      clear(container);
      container.append(notice(apiErrors(e).map((x) => x.text).join(' '), 'error'));
      return;
    }
    cursors[page] = body.next_cursor;
    clear(container);
    draw(body.items, container);
    if (page > 1 || body.next_cursor) {
      container.append(pager({ page, hasPrev: page > 1, hasNext: !!body.next_cursor },
        () => { page--; show(); }, () => { page++; show(); }));
    }
  };
  return show();
}

// A table: head is a list of header texts, rows a list of lists of cells
// (strings or nodes).
export function table(caption, head, rows, cls = '') {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { class: `table ${cls}` },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
}

// A table paged in the page: rows already built, size per page; state
// ({page}) lets a caller redraw it on the same page.
export function pagedTable(caption, head, rows, size = 20, state = { page: 1 }) {
  const wrap = h('div', {});
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const draw = () => {
    state.page = Math.min(Math.max(1, state.page), pages);
    clear(wrap).append(table(caption, head, rows.slice((state.page - 1) * size, state.page * size)));
    if (pages > 1) {
      wrap.append(pager({ page: state.page, hasPrev: state.page > 1, hasNext: state.page < pages },
        () => { state.page--; draw(); }, () => { state.page++; draw(); }));
    }
  };
  draw();
  return wrap;
}

// A summary list (label: value pairs).
export function summaryList(pairs) {
  return h('dl', { class: 'summary' }, pairs.map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v ?? t('common.unknown')))));
}

// Downloads text as a file (a CSV report) without leaving the page.
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden' }, name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
