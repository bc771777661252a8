// The officer's review journey: pins, the proposal review with filters,
// bulk decisions, the overlap and unserved reports.

import { readFileSync } from 'node:fs';
import { run, check, login, assert } from './lib.mjs';

await run('officer-review', async ({ srv, page }) => {
  await login(page, srv, 'officer');
  await page.getByRole('heading', { level: 1, name: 'Kelurahan dan prioritas' }).waitFor();

  // pin a kelurahan that is not a priority by its index, then unpin it
  const tbl = page.getByRole('table', { name: 'Tabel kelurahan' });
  const row = tbl.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Tidak', exact: true }) }).first();
  const name = (await row.getByRole('rowheader').innerText()).trim();
  await row.getByRole('button', { name: new RegExp(`^Sematkan\\W+${name}$`) }).click();
  await page.getByText('Tersimpan.').waitFor();
  const pinned = tbl.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  assert.match(await pinned.innerText(), /Ya \(disematkan\)/);
  await pinned.getByRole('button', { name: new RegExp(`^Lepas sematan\\W+${name}$`) }).click();
  await tbl.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('button', { name: new RegExp(`^Sematkan\\W+${name}$`) }).waitFor();

  // a run, and its proposals reviewed with filters
  await page.getByRole('link', { name: 'Pencocokan' }).click();
  await page.getByRole('button', { name: 'Mulai pencocokan' }).click();
  await page.getByText(/Pencocokan nomor 1 selesai/).waitFor();
  await page.getByRole('link', { name: 'Tinjau usulan', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Usulan pencocokan nomor 1' }).waitFor();
  await page.getByLabel('Jenis').selectOption('referral');
  await page.getByLabel('Desil').selectOption('1-4');
  await page.getByRole('button', { name: 'Terapkan saringan' }).click();
  const boxes = page.getByRole('checkbox', { name: /^Pilih (?!semua)/ });
  await boxes.first().waitFor();
  await check(page, 'officer-review');
  // by kelurahan: the first proposal's, and then only that kelurahan's
  const firstRow = page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: /^Pilih (?!semua)/ }) }).first();
  const place = (await firstRow.getByRole('cell').nth(2).innerText()).trim();
  await page.getByLabel('Kelurahan', { exact: true }).selectOption({ label: place });
  await applyFilters(page);
  const places = await page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: /^Pilih (?!semua)/ }) }).evaluateAll((rows) => rows.map((r) => r.cells[2].innerText.trim()));
  assert.ok(places.length > 0 && places.every((p) => p === place), `only ${place}: ${places.join(', ')}`);
  await page.getByLabel('Kelurahan', { exact: true }).selectOption('');
  await applyFilters(page);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole('button', { name: 'Konfirmasi yang dipilih' }).click();
  await page.getByText('2 usulan diperbarui.').waitFor();
  await page.getByLabel('Status').selectOption('confirmed');
  await page.getByRole('button', { name: 'Terapkan saringan' }).click();
  await page.getByRole('cell', { name: 'Dikonfirmasi' }).first().waitFor();
  // withdraw: select none first, which is refused with a message
  await page.getByRole('button', { name: 'Tarik yang dipilih' }).click();
  await page.getByText('Pilih paling sedikit satu usulan.').waitFor();
  await page.getByRole('checkbox', { name: /^Pilih (?!semua)/ }).first().check();
  await page.getByRole('button', { name: 'Tarik yang dipilih' }).click();
  await page.getByText('1 usulan diperbarui.').waitFor();

  // overlap and unserved lists with their CSV
  await page.getByRole('link', { name: 'Laporan' }).click();
  for (const title of ['Bantuan yang tumpang tindih', 'Warga yang belum terlayani']) {
    const sec = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: title }) });
    await sec.waitFor();
    assert.doesNotMatch(await sec.innerText(), /belum tersedia/);
  }
  await check(page, 'officer-review-reports');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Unduh CSV\W+Warga yang belum terlayani/ }).click()]);
  assert.ok(readFileSync(await dl.path(), 'utf8').length > 0);
}, 3000);

// Applies the proposal filters and waits until the list is drawn again: the
// button is busy (aria-busy) from the click until the new rows are in, so
// no check below can touch a row the redraw then replaces.
async function applyFilters(page) {
  await page.getByRole('button', { name: 'Terapkan saringan' }).click();
  await page.waitForFunction(() => document.querySelector('button[aria-busy]') === null);
}
