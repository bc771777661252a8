// The kelurahan desk's journey in a real browser: log in, find a walk-in by
// NIK and by name (with paging), open the record, correct it, mark it
// verified, read why the vacancies fit in plain Indonesian, refer, print
// the one-page referral letter, enrol in a BLK course, switch to English.
// axe-core and screenshots on every page.

import { run, check, login, apiAs, assert } from './lib.mjs';

// A resident of the desk's kelurahan with vacancies that fit and a course
// with a next batch, found through the API (the test's own look-up).
async function pickResident(srv) {
  const desk = await apiAs(srv, 'desk');
  let cursor = '';
  for (let page = 0; page < 20; page++) {
    const list = await desk('GET', `/v1/residents?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    for (const r of list.body.items) {
      const rec = await desk('GET', `/v1/residents/${r.id}/recommendations`);
      if (rec.status === 200 && rec.body.vacancies.length > 0 && rec.body.train_then_apply.length > 0) return { ...r, recs: rec.body };
    }
    if (!list.body.next_cursor) break;
    cursor = list.body.next_cursor;
  }
  throw new Error('no resident of the desk kelurahan has recommendations');
}

// Three letters that more than one page (10) of the desk's residents'
// names share, counted over the desk's own list.
async function commonPart(srv) {
  const desk = await apiAs(srv, 'desk');
  const counts = new Map();
  let cursor = '';
  for (;;) {
    const list = await desk('GET', `/v1/residents?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    for (const r of list.body.items) {
      const seen = new Set();
      const name = r.name.toLowerCase();
      for (let i = 0; i + 3 <= name.length; i++) if (!/ /.test(name.slice(i, i + 3))) seen.add(name.slice(i, i + 3));
      for (const p of seen) counts.set(p, (counts.get(p) || 0) + 1);
    }
    if (!list.body.next_cursor) break;
    cursor = list.body.next_cursor;
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  assert.ok(best && best[1] > 10, 'some three letters are shared by more than 10 names');
  return best[0];
}

await run('desk', async ({ srv, page }) => {
  const who = await pickResident(srv);
  const part = await commonPart(srv);
  // the seeds hold finished batches only: plan the next one of the first
  // course that would open more vacancies
  const officer = await apiAs(srv, 'officer');
  const course = who.recs.train_then_apply[0];
  const start = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
  const end = new Date(Date.now() + 75 * 86400e3).toISOString().slice(0, 10);
  const made = await officer('POST', `/v1/courses/${course.course_id}/batches`, { start_date: start, end_date: end, capacity: 20, status: 'planned' });
  assert.equal(made.status, 201, JSON.stringify(made.body));

  // log in, with the error summary first
  await page.goto(`${srv.base}/`);
  await page.getByRole('heading', { name: 'Masuk ke padan' }).waitFor();
  await page.getByRole('button', { name: 'Masuk' }).click();
  const summary = page.getByRole('alert');
  await summary.getByRole('link', { name: 'Isi nama pengguna.' }).click();
  await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, 'login-username');
  await check(page, 'desk-login-errors');
  await login(page, srv, 'desk');
  await page.getByRole('heading', { name: 'Cari warga' }).waitFor();
  await check(page, 'desk-search');

  // a NIK that is not 16 digits is named at the top and at the field
  await page.getByLabel('NIK').fill('3671');
  await page.getByRole('button', { name: 'Cari warga' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'NIK harus 16 angka.' }).waitFor();

  // by name: a page of 20 and the next
  await page.getByLabel('NIK').fill('');
  await page.getByLabel('Atau nama').fill(part);
  await page.getByRole('button', { name: 'Cari warga' }).click();
  await page.getByText('10 warga ditemukan di halaman ini.').waitFor();
  await check(page, 'desk-results');
  await page.getByRole('button', { name: 'Berikutnya' }).click();
  await page.getByText('Halaman 2').waitFor();
  await page.getByRole('button', { name: 'Sebelumnya' }).click();
  await page.getByText('Halaman 1').waitFor();

  // by exact NIK: the one resident; the NIK never reaches a URL
  const full = await (await apiAs(srv, 'desk'))('GET', `/v1/residents/${who.id}`);
  const nik = full.body.nik;
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.getByLabel('Atau nama').fill('');
  await page.getByLabel('NIK').fill(nik);
  await page.getByRole('button', { name: 'Cari warga' }).click();
  await page.getByText('1 warga ditemukan di halaman ini.').waitFor();
  await page.getByRole('link', { name: new RegExp(`^Buka data\\W+${who.name}$`) }).click();
  await page.getByRole('heading', { level: 1, name: who.name }).waitFor();
  await page.getByText(nik).waitFor();
  await page.getByRole('heading', { name: 'Lowongan yang cocok' }).waitFor();
  await page.getByRole('button', { name: /^Rujuk ke / }).first().waitFor();
  await check(page, 'desk-resident');

  // the explanation in plain words: skills by name, commute in rupiah
  // against the wage, no scoring jargon
  const card = page.getByRole('article').filter({ has: page.getByRole('button', { name: /^Rujuk ke / }) }).first();
  const text = await card.innerText();
  assert.match(text, /Upah per bulan/);
  assert.match(text, /Batas lamaran/);
  assert.match(text, /Sisa lowongan/);
  assert.match(text, /Shift/);
  assert.match(text, /Keahlian yang sudah dimiliki|tidak meminta keahlian/);
  assert.match(text, /Keahlian yang belum dimiliki|Tidak ada keahlian wajib yang kurang/);
  assert.match(text, /ongkos pulang-pergi sekitar Rp[\d.]+000 sebulan/);
  assert.doesNotMatch(text, /bernilai|scores|bobot|weight|\d+,\d+%/);

  // correct the record (the reason is required)
  await page.getByText('Perbaiki data').click();
  await page.getByLabel('Telepon').fill('0812-3456-7890');
  await page.getByRole('button', { name: 'Simpan perbaikan' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'Tulis alasan perbaikan.' }).waitFor();
  await check(page, 'desk-correct-errors');
  await page.getByLabel('Alasan perbaikan').fill('Warga memberi nomor telepon baru.');
  // the server's refusal, in Indonesian, at the top and at its field
  await page.getByLabel('Lama tidak bekerja (bulan)').fill('601');
  await page.getByRole('button', { name: 'Simpan perbaikan' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'Lama tidak bekerja (bulan): Harus antara 0 dan 600.' }).click();
  await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, 'fix-months');
  await page.getByLabel('Lama tidak bekerja (bulan)').fill(String(full.body.months_without_work ?? ''));
  await page.getByRole('button', { name: 'Simpan perbaikan' }).click();
  await page.getByText('Perbaikan tersimpan.').waitFor();
  await page.getByText('0812-3456-7890').first().waitFor();

  // mark verified
  await page.getByRole('button', { name: 'Tandai sudah diverifikasi' }).click();
  await page.getByText('Data ditandai sudah diverifikasi hari ini.').waitFor();
  await page.getByText(/^Terverifikasi /).waitFor();

  // refer in one action, then the letter
  const refer = page.getByRole('button', { name: /^Rujuk ke / }).first();
  await refer.click();
  await page.getByText(/Rujukan dibuat \(nomor \d+\)\./).waitFor();
  await check(page, 'desk-referred');

  // enrol in the next batch of a course, where one has seats
  const courseCard = page.getByRole('article').filter({ has: page.getByRole('heading', { name: course.name }) });
  // the next batch with seats (the one planned above, or an earlier one the seeds plan)
  await courseCard.getByText(/Angkatan berikutnya: .* sisa \d+ kursi\./).waitFor();
  await courseCard.getByRole('button', { name: /^Daftarkan ke angkatan ini/ }).click();
  await page.getByText(/Warga terdaftar di pelatihan \(nomor pendaftaran \d+\)\./).waitFor();

  await page.getByRole('link', { name: 'Cetak surat rujukan' }).click();
  await page.getByRole('heading', { name: 'Surat Rujukan Kerja' }).waitFor();
  await page.getByText(who.name).waitFor();
  const letter = await page.getByRole('article').innerText();
  assert.ok(!letter.includes(nik), 'the letter carries no NIK');
  await check(page, 'desk-letter');
  await page.emulateMedia({ media: 'print' });
  await page.getByRole('button', { name: 'Cetak surat' }).waitFor({ state: 'hidden' });
  await page.locator('header').waitFor({ state: 'hidden' });
  await page.screenshot({ path: `${(await import('./lib.mjs')).OUT}/desk-letter-print.png` });
  const pdf = await page.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, 'the letter prints on one page');
  await page.emulateMedia({ media: 'screen' });

  // English
  await page.getByRole('link', { name: 'Kembali ke data warga' }).click();
  await page.getByRole('heading', { level: 1, name: who.name }).waitFor();
  await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
  await page.getByRole('heading', { name: 'Vacancies that fit' }).waitFor();
  await check(page, 'desk-resident-en');
  await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
  await page.getByRole('heading', { name: 'Lowongan yang cocok' }).waitFor();

  // a token that no longer works sends the clerk back to log in, saying why
  await page.evaluate(() => sessionStorage.setItem('padan.token', 'expired'));
  await page.reload();
  await page.getByRole('heading', { name: 'Masuk ke padan' }).waitFor();
  await page.getByText('Sesi Anda sudah berakhir. Silakan masuk lagi.').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('padan.token')), null);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');

  assert.ok(urls.every((u) => !u.includes(nik)), 'no URL carries the NIK');
  assert.ok(!srv.log().includes(nik), 'the server log carries no NIK');
}, 12000);
