// The employer's journey in a real browser: post a vacancy (errors first),
// read the pseudonymous shortlist with its reasons, edit the vacancy, and
// once Disnaker has accepted a referral see the candidate's name and phone
// and record the interview and the hire. Every employer page's rendered DOM
// is checked for NIK, names before acceptance, desil, priority and
// disability. axe-core and screenshots on every page.

import { run, check, login, apiAs, assert } from './lib.mjs';

// What an employer must never see on a page (forbidden: names and NIKs of
// residents not accepted for this employer).
async function privacy(page, what, forbidden) {
  await page.waitForLoadState('networkidle');
  const html = await page.content();
  const text = await page.locator('body').innerText();
  for (const f of forbidden) {
    assert.ok(!html.includes(f), `${what}: the page holds "${f}"`);
  }
  assert.doesNotMatch(html, /(^|[^\d])\d{16}([^\d]|$)/, `${what}: a NIK-like number in the page`);
  assert.doesNotMatch(text, /desil|prioritas|priority|disabilitas|disabilit/i, `${what}: poverty, priority or disability shown`);
}

await run('employer', async ({ srv, page }) => {
  const officer = await apiAs(srv, 'officer');
  // every resident's NIK and name is forbidden until accepted
  const forbidden = new Set();
  const people = new Map();
  let cursor = '';
  for (;;) {
    const list = await officer('GET', `/v1/residents?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    for (const r of list.body.items) {
      forbidden.add(r.nik);
      people.set(r.id, r);
    }
    if (!list.body.next_cursor) break;
    cursor = list.body.next_cursor;
  }
  const allNames = [...people.values()].map((r) => r.name).filter((n) => n.length > 6);

  await login(page, srv, 'employer');
  await page.getByRole('heading', { level: 1, name: 'Lowongan perusahaan Anda' }).waitFor();
  await page.getByRole('table', { name: 'Lowongan perusahaan Anda' }).waitFor();
  await privacy(page, 'list', [...forbidden, ...allNames]);
  await check(page, 'employer-list');

  // post a vacancy: the error summary first
  await page.getByRole('link', { name: 'Pasang lowongan baru' }).click();
  await page.getByRole('heading', { level: 1, name: 'Pasang lowongan baru' }).waitFor();
  await page.getByRole('button', { name: 'Simpan lowongan' }).click();
  const alert = page.getByRole('alert');
  await alert.getByRole('link', { name: 'Tulis nama jabatan.' }).waitFor();
  await alert.getByRole('link', { name: 'Upah harus angka rupiah lebih dari 0.' }).click();
  await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, 'vac-wage');
  await check(page, 'employer-new-errors');
  const deadline = new Date(Date.now() + 40 * 86400e3).toISOString().slice(0, 10);
  await page.getByLabel('Nama jabatan').fill('Operator Gudang Uji');
  await page.getByLabel('Bidang pekerjaan').selectOption('logistics');
  await page.getByLabel('Jumlah lowongan').fill('3');
  await page.getByLabel('Upah per bulan (rupiah)').fill('4900000');
  await page.getByLabel('Shift').selectOption('day');
  await page.getByLabel('Batas lamaran').fill(deadline);
  await page.getByRole('button', { name: 'Simpan lowongan' }).click();
  await page.getByText('Lowongan tersimpan.').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Operator Gudang Uji' }).waitFor();
  await page.getByText('Rp4.900.000').waitFor();
  const vacancyId = Number(page.url().match(/vacancy\/(\d+)/)[1]);

  // the shortlist: pseudonymous, with reasons in plain words
  await page.getByRole('article', { name: /^Kandidat c-/ }).first().waitFor();
  const cardText = await page.getByRole('article', { name: /^Kandidat c-/ }).first().innerText();
  assert.match(cardText, /Kelompok umur/);
  assert.match(cardText, /Jarak ke tempat kerja (kurang dari 2 km|2–5 km|5–10 km|lebih dari 10 km)\./);
  assert.doesNotMatch(cardText, /\d+,\d km|ongkos/); // no distance or cost finer than the band
  assert.doesNotMatch(cardText, /bernilai|bobot/);
  await privacy(page, 'shortlist', [...forbidden, ...allNames]);
  await check(page, 'employer-vacancy');

  // edit
  await page.getByRole('link', { name: 'Ubah lowongan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ubah lowongan' }).waitFor();
  await page.getByLabel('Jumlah lowongan').fill('4');
  await check(page, 'employer-edit');
  await page.getByRole('button', { name: 'Simpan lowongan' }).click();
  await page.getByText('Lowongan tersimpan.').waitFor();
  await page.getByText('4 / 4').waitFor();

  // Disnaker's match run proposes residents to it; one is accepted
  const runDone = await officer('POST', '/v1/match-runs', {});
  assert.equal(runDone.status, 201);
  const refs = await officer('GET', `/v1/referrals?vacancy_id=${vacancyId}&limit=100`);
  assert.ok(refs.body.items.length >= 2, 'the run proposed at least two residents to the vacancy');
  const [accepted, ...others] = refs.body.items;
  const ok = await officer('PATCH', `/v1/referrals/${accepted.id}`, { status: 'confirmed' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const acceptedName = accepted.resident.name;
  const notAccepted = others.map((r) => r.resident.name).filter((n) => n !== acceptedName);

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Operator Gudang Uji' }).waitFor();
  const refsArea = page.getByRole('region', { name: 'Rujukan ke lowongan ini' });
  await refsArea.getByText(new RegExp(`^${acceptedName} · 0`)).waitFor();
  await privacy(page, 'referrals', [...forbidden, ...notAccepted]);
  await check(page, 'employer-referrals');

  // interview, then hire
  await refsArea.getByRole('button', { name: new RegExp(`^Catat sudah wawancara\\W+${acceptedName}$`) }).click();
  await page.getByText('Hasil tercatat.').waitFor();
  await refsArea.getByText('Status: Sudah wawancara').waitFor();
  await refsArea.getByRole('button', { name: new RegExp(`^Catat diterima kerja\\W+${acceptedName}$`) }).click();
  await refsArea.getByText('Status: Diterima kerja').waitFor();
  const after = await officer('GET', `/v1/referrals/${accepted.id}`);
  assert.equal(after.body.status, 'hired');
  await privacy(page, 'after the hire', [...forbidden, ...notAccepted]);

  // English
  await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
  await page.getByRole('heading', { name: 'Referrals to this vacancy' }).waitFor();
  await privacy(page, 'english', [...forbidden, ...notAccepted]);
  await check(page, 'employer-vacancy-en');
}, 3000);
