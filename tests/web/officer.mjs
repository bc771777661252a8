// The Disnaker officer's journey on this branch's routes: the kelurahan
// table (paged) and the SVG map, a match run, follow-ups, a DTSEN import
// with its error report row by row, and the reports as charts with tables
// and CSV downloads. Pins, the proposal review and bulk decisions, and the
// overlap and unserved lists need routes from another branch: they are in
// officer-review.mjs. axe-core and screenshots on every page.

import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, check, login, assert } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sample = readFileSync(join(here, '../../seeds/dtsen-sample.csv'), 'utf8').split('\n');

await run('officer', async ({ srv, page }) => {
  await login(page, srv, 'officer');
  await page.getByRole('heading', { level: 1, name: 'Kelurahan dan prioritas' }).waitFor();
  // the map: one dot per kelurahan from its centroid
  const map = page.getByRole('img', { name: /^Peta 104 kelurahan/ });
  await map.waitFor();
  assert.equal(await map.locator('circle.dot').count(), 104);
  // the table: 20 a page, with poverty, NEET, index and a pin button per row
  const tbl = page.getByRole('table', { name: 'Tabel kelurahan' });
  await tbl.waitFor();
  assert.equal(await tbl.getByRole('row').count(), 21);
  for (const col of ['Miskin (desil 1–4)', 'NEET', 'Indeks prioritas', 'Prioritas']) await tbl.getByRole('columnheader', { name: col, exact: true }).waitFor();
  await tbl.getByRole('button', { name: /^Sematkan|^Lepas sematan/ }).first().waitFor();
  await check(page, 'officer-kelurahan');
  await page.getByRole('button', { name: 'Berikutnya' }).click();
  await page.getByText('Halaman 2').waitFor();

  // a match run
  await page.getByRole('link', { name: 'Pencocokan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Jalankan pencocokan' }).waitFor();
  await page.getByRole('button', { name: 'Mulai pencocokan' }).click();
  await page.getByText(/Pencocokan nomor 1 selesai: [\d.]+ usulan rujukan\./).waitFor();
  await page.getByRole('link', { name: 'Tinjau usulan', exact: true }).waitFor();
  await check(page, 'officer-runs');
  // the run's proposals, as listed on this branch (filters and decisions:
  // officer-review.mjs)
  await page.getByRole('link', { name: 'Tinjau usulan', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Usulan pencocokan nomor 1' }).waitFor();
  await page.getByRole('checkbox', { name: /^Pilih (?!semua)/ }).first().waitFor();
  assert.equal(await page.getByRole('checkbox', { name: /^Pilih (?!semua)/ }).count(), 25);
  await check(page, 'officer-proposals');
  await page.getByRole('button', { name: 'Berikutnya' }).click();
  await page.getByText('Halaman 2').waitFor();
  await page.getByRole('link', { name: 'Kembali' }).click();
  await page.getByRole('heading', { level: 1, name: 'Jalankan pencocokan' }).waitFor();

  // follow-ups due
  await page.getByRole('link', { name: 'Tindak lanjut' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tindak lanjut yang jatuh tempo' }).waitFor();
  await page.getByText('Tidak ada tindak lanjut yang jatuh tempo.').waitFor();
  await check(page, 'officer-followups');

  // DTSEN import: a file with bad rows is reported row by row, nothing saved
  await page.getByRole('link', { name: 'Impor DTSEN' }).click();
  await page.getByRole('heading', { level: 1, name: 'Impor data DTSEN' }).waitFor();
  await page.getByRole('button', { name: 'Unggah dan periksa' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'Pilih berkas CSV.' }).waitFor();
  const bad = [sample[0], sample[1].replace(/^\d{16}/, '12345'), sample[2].replace(/^(\d{16},[^,]*),[LP],/, '$1,X,')].join('\n');
  await page.getByLabel('Berkas CSV DTSEN').setInputFiles({ name: 'buruk.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Unggah dan periksa' }).click();
  const issues = page.getByRole('table', { name: 'Kesalahan per baris' });
  await issues.waitFor();
  await page.getByRole('alert').getByRole('link', { name: 'Berkas berisi 2 kesalahan. Tidak ada data yang disimpan: perbaiki baris di bawah, lalu unggah lagi.' }).waitFor();
  assert.ok(await issues.getByRole('row').count() >= 3, 'both bad rows are listed');
  assert.ok(await issues.getByRole('cell', { name: 'nik', exact: true }).count() >= 1);
  await check(page, 'officer-import-errors');
  const good = sample.slice(0, 21).join('\n');
  await page.getByLabel('Berkas CSV DTSEN').setInputFiles({ name: 'baik.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Unggah dan periksa' }).click();
  await page.getByText('Berkas diterima: 20 baris.').waitFor();

  // reports: charts with a table of the same figures, CSV downloads
  await page.getByRole('link', { name: 'Laporan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Laporan' }).waitFor();
  await page.getByRole('img', { name: 'Alur rujukan' }).waitFor();
  const funnel = page.getByRole('table', { name: 'Tabel Alur rujukan' });
  const proposed = await funnel.getByRole('row', { name: /Diusulkan/ }).innerText();
  assert.match(proposed, /Diusulkan\s+[1-9]/, 'the run\'s proposals are counted');
  await page.getByRole('img', { name: 'Ketepatan sasaran' }).waitFor();
  await page.getByRole('table', { name: 'Tabel Ketepatan sasaran' }).getByRole('row', { name: /Kelurahan prioritas/ }).waitFor();
  await check(page, 'officer-reports');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Unduh CSV\W+Alur rujukan/ }).click()]);
  const csv = readFileSync(await dl.path(), 'utf8');
  assert.match(csv.split('\n')[0], /^level,kelurahan_code,kelurahan_name,proposed,/);

  // English
  await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await page.getByRole('table', { name: 'Table: Referral funnel' }).waitFor();
  await check(page, 'officer-reports-en');
}, 3000);
