// The Disnaker officer's pages (filled in below).
import { h, t } from './render.js';

export async function render() {
  return [h('h1', {}, t('officer.title'))];
}
