// The pages' entry module: the header (role, language switch, log out),
// the log-in page, and the hash router that hands #/desk…, #/officer… and
// #/employer… to their page modules. The token lives in sessionStorage
// (api.js); the signed-in user is asked of GET /v1/me at start.

import { api, setToken, token, setUnauthorisedHandler } from './api.js';
import { h, t, clear, field, showErrors, apiErrors, busy, notice, setLang, currentLang } from './render.js';
import * as desk from './desk.js';
import * as officer from './officer.js';
import * as employer from './employer.js';

const main = document.getElementById('main');
const top = document.getElementById('top');
const foot = document.getElementById('foot');
let me = null;
let sessionEnded = false; // a 401 sent the user back to the log-in page

const homes = { desk: '#/desk', officer: '#/officer', admin: '#/officer', employer: '#/employer' };
const sections = {
  desk: { module: desk, roles: ['desk', 'officer', 'admin'] },
  officer: { module: officer, roles: ['officer', 'admin'] },
  employer: { module: employer, roles: ['employer'] },
};

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function header() {
  clear(top);
  top.append(
    h('div', { class: 'top-inner' },
      h('a', { class: 'brand', href: me ? homes[me.role] : '#/login' },
        h('span', { class: 'brand-name' }, t('app.name')), ' ',
        h('span', { class: 'brand-city' }, t('app.city'))),
      h('div', { class: 'top-tools' },
        me ? h('span', { class: 'who' }, `${t(`role.${me.role}`)} · ${me.username}`) : null,
        h('button', { type: 'button', class: 'link-button', lang: currentLang() === 'id' ? 'en' : 'id', 'aria-label': t('app.lang.label'), onclick: () => { setLang(currentLang() === 'id' ? 'en' : 'id'); route(); } }, t('app.lang.switch')),
        me ? h('button', { type: 'button', class: 'link-button', onclick: logout }, t('app.logout')) : null)));
  clear(foot);
  foot.append(h('p', {}, t('app.footer')));
  document.querySelector('.skip').textContent = t('app.skip');
}

async function logout() {
  try {
    await api('POST', '/v1/auth/logout');
  } catch (e) {
    /* the token is dropped either way */
  }
  setToken(null);
  me = null;
  go('#/login');
}

function loginPage() {
  document.title = `${t('login.title')} — padan`;
  const form = h('form', { class: 'form narrow', novalidate: true },
    field({ id: 'login-username', label: t('login.username'), attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
    field({ id: 'login-password', label: t('login.password'), type: 'password', attrs: { autocomplete: 'current-password' } }),
    h('button', { type: 'submit', class: 'button' }, t('login.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const username = form.querySelector('#login-username').value.trim();
    const password = form.querySelector('#login-password').value;
    const errors = [];
    if (!username) errors.push({ field: 'login-username', text: t('login.username.missing') });
    if (!password) errors.push({ field: 'login-password', text: t('login.password.missing') });
    if (errors.length) return showErrors(form, errors);
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        const r = await api('POST', '/v1/auth/login', { username, password });
        setToken(r.token);
        sessionEnded = false;
        me = r.user;
        go(homes[me.role] || '#/login');
      } catch (e) {
        showErrors(form, apiErrors(e));
      }
    });
  });
  const ended = sessionEnded ? notice(t('common.error.session'), 'error') : null;
  return [h('h1', { tabindex: '-1' }, t('login.title')), ended, h('p', { class: 'lead' }, t('login.intro')), form];
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (!me && token()) {
    try {
      me = await api('GET', '/v1/me');
    } catch (e) {
      me = null;
    }
  }
  header();
  clear(main);
  const section = sections[parts[0]];
  let content;
  if (!me || parts[0] === 'login' || parts.length === 0) {
    if (me) return go(homes[me.role]);
    content = loginPage();
  } else if (!section) {
    content = [h('h1', { tabindex: '-1' }, t('common.not_found'))];
  } else if (!section.roles.includes(me.role)) {
    content = [h('h1', { tabindex: '-1' }, t('common.not_allowed'))];
  } else {
    main.append(h('p', {}, t('app.loading')));
    content = await section.module.render({ me, go, params: parts.slice(1) });
    clear(main);
  }
  main.append(...[content].flat(Infinity).filter((x) => x !== null && x !== undefined && x !== false));
  const h1 = main.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    document.title = `${h1.textContent} — padan`;
    if (document.activeElement === document.body || !main.contains(document.activeElement)) h1.focus();
  }
}

setLang(currentLang());
setUnauthorisedHandler(() => {
  me = null;
  sessionEnded = true;
  go('#/login');
});
window.addEventListener('hashchange', route);
route();
