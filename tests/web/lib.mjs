// Shared parts of the browser tests: the real padan server on a fresh
// seeded database, Debian's Chromium driven by playwright-core, axe-core on
// every page, screenshots at an office screen's and a phone's size, and a
// guard that fails the test on any request to another host or any
// Content-Security-Policy violation.
//
// Usage: node tests/web/<name>.mjs --padan PATH --out DIR (ctest passes
// both; PADAN_BIN and PADAN_SCREENSHOTS work too).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Without the tooling the test is skipped (77, ctest's SKIP_RETURN_CODE), not failed.
let chromium, axeSource;
try {
  ({ chromium } = require('playwright-core'));
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
} catch (e) {
  console.error(`skipped: ${e.message.split('\n')[0]} (run npm ci --prefix tests, or scripts/test)`);
  process.exit(77);
}

function arg(name, env, fallback) {
  const i = process.argv.indexOf(name);
  if (i > 0 && process.argv[i + 1]) return process.argv[i + 1];
  return process.env[env] || fallback;
}

export const PADAN = arg('--padan', 'PADAN_BIN', join(here, '../../build/api/padan'));
export const OUT = arg('--out', 'PADAN_SCREENSHOTS', join(here, '../../build/screenshots'));
export const SIZES = [
  { name: 'desktop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Seeds a fresh database (residents synthetic residents, generator seed 1),
// creates the demo accounts and starts `padan serve` on a free loopback
// port. Returns {base, port, dir, creds: {role: {username, password}}, stop(), log()}.
export async function startServer(residents = 2000) {
  const dir = mkdtempSync(join(tmpdir(), 'padan-web-'));
  execFileSync(PADAN, ['seed', '--data', dir, '--residents', String(residents), '--seed', '1'], { stdio: 'ignore' });
  execFileSync(PADAN, ['user', 'demo', '--data', dir], { stdio: 'ignore' });
  const creds = {};
  for (const a of JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8'))) creds[a.role] = a;
  const port = await freePort();
  let log = '';
  const proc = spawn(PADAN, ['serve', '--data', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  let exited = null;
  proc.once('exit', (code, signal) => { exited = `exit ${code ?? signal}`; });
  // the engine's snapshot is built before the port opens: allow a loaded machine two minutes
  const deadline = Date.now() + 120e3;
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch (e) {
      if (exited || Date.now() > deadline) throw new Error(`padan serve did not start (${exited || 'timeout'}):\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base, port, dir, creds,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The API as a test's helper (not through the page): a token per role.
export async function apiAs(srv, role) {
  const r = await fetch(`${srv.base}/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: srv.creds[role].username, password: srv.creds[role].password }),
  });
  assert.equal(r.status, 200);
  const { token } = await r.json();
  return async (method, path, body) => {
    const resp = await fetch(`${srv.base}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await resp.text();
    return { status: resp.status, body: text && (resp.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text };
  };
}

// Chromium with one page at the office screen's size; every request to
// a host other than the server fails the test, as does a CSP violation or
// an uncaught page error.
export async function openBrowser(srv) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const problems = [];
  const origin = new URL(srv.base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('blob:') || url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  mkdirSync(OUT, { recursive: true });
  return {
    browser, context, page, problems,
    async close() {
      await browser.close();
      assert.deepEqual(problems, [], `the pages misbehaved:\n${problems.join('\n')}`);
    },
  };
}

// axe-core on the page as it is: no serious or critical violation.
export async function axe(page, what) {
  await page.evaluate(`(() => { if (!window.axe) { ${axeSource}\n } })()`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  assert.equal(bad.length, 0, `axe on ${what}:\n${text}`);
}

// Screenshots of the page at both sizes (full page), named
// <test>-<what>-<size>.png; the page ends at the office size.
export async function snap(page, name) {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(50);
    await page.screenshot({ path: join(OUT, `${name}-${s.name}.png`), fullPage: true });
    // usable at this size: nothing wider than the screen (wide tables
    // scroll inside their own region)
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `${name} at ${s.width}x${s.height} is ${wide}px wider than the screen`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

// axe and screenshots together: every page a test visits gets both.
export async function check(page, name) {
  await page.waitForLoadState('networkidle');
  await axe(page, name);
  await snap(page, name);
}

export async function login(page, srv, role) {
  await page.goto(`${srv.base}/`);
  await page.getByLabel(/Nama pengguna|Username/).fill(srv.creds[role].username);
  await page.getByLabel(/Kata sandi|Password/).fill(srv.creds[role].password);
  await page.getByRole('button', { name: /^(Masuk|Log in)$/ }).click();
}

// Runs a test body with a server and a browser, and exits non-zero on
// failure after cleaning up.
export async function run(name, body, residents) {
  const srv = await startServer(residents);
  let b;
  let failed = null;
  try {
    b = await openBrowser(srv);
    await body({ srv, ...b });
  } catch (e) {
    failed = e;
  }
  try {
    if (b) await b.close();
  } catch (e) {
    failed = failed || e;
  }
  if (failed) writeFileSync(join(OUT, `${name}-server.log`), srv.log());
  await srv.stop();
  if (failed) {
    console.error(`${name}: FAILED\n`, failed);
    process.exit(1);
  }
  console.log(`${name}: passed`);
}

export { assert };
