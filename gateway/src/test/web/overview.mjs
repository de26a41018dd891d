// The overview shows the map Optimal with its facts; the map detail shows topology, paths and the dm lines; both fit
// 1280x800 and a 400 px wide screen. Screenshots: overview.png, map-detail.png (+ -narrow variants).
import {check, checkContrast, login, noHorizontalScroll, scenario, screenshot, step, until} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';
const MAPS = (process.env.MPATHGW_MAPS || MAP).split(' ');
const SECTORS = process.env.MPATHGW_SECTORS || '32768';
const CAPACITY = {32768: '16.0 MiB', 2048: '1.00 MiB'}[SECTORS];

await scenario({width: 1280, height: 800}, async ({page}) => {
    await login(page);
    const card = page.locator(`.map-card[data-map="${MAP}"]`);
    const health = await until(`health word of ${MAP}`, () => card.locator('.health').textContent(), t => t === 'Optimal');
    const reason = await card.locator('.reason').textContent();
    check(/^4\/4 paths, 2 /.test(reason), `reason beside Optimal: '${reason}'`);
    step(`overview: ${MAP} ${health}: ${reason}`);
    const names = await page.locator('.map-card').evaluateAll(ns => ns.map(n => n.dataset.map));
    check(names.join(' ') === MAPS.join(' '), `map cards: ${names}`);
    const dd = async f => (await card.locator(`[data-f="${f}"]`).textContent()).trim();
    check(await dd('capacity') === CAPACITY, `capacity: '${await dd('capacity')}' (expected ${CAPACITY})`);
    check(/^3[0-9a-f]{16,}$/.test(await dd('wwid')), `WWID: '${await dd('wwid')}'`);
    check(await dd('handler') === 'alua', `hardware handler: '${await dd('handler')}'`);
    check((await dd('vendor')).startsWith('MPATHGW '), `vendor/product: '${await dd('vendor')}'`);
    check((await dd('policy')).length > 0, 'policy is empty');
    step(`overview facts: ${await dd('capacity')}, ${await dd('vendor')}, policy ${await dd('policy')}, handler ${await dd('handler')}`);
    await page.getByRole('table', {name: 'iSCSI sessions'}).locator('tbody tr').nth(3).waitFor();
    await noHorizontalScroll(page, 'overview at 1280');
    step(`overview: ${await checkContrast(page, 'overview')} texts at WCAG AA contrast`);
    await screenshot(page, 'overview.png');

    await card.getByRole('link', {name: MAP}).click();
    await page.getByRole('heading', {name: 'Paths'}).waitFor();
    const rows = page.locator('#paths tbody tr');
    await until('path rows', () => rows.count(), n => n === 4);
    const table = await page.locator('#dm-table').textContent();
    const status = await page.locator('#dm-status').textContent();
    check(table.startsWith(`0 ${SECTORS} multipath `), `dm table: '${table}'`);
    check(status.startsWith(`0 ${SECTORS} multipath `), `dm status: '${status}'`);
    const topoPaths = await page.locator('#topology .topo-path').count();
    const portals = await page.locator('#topology .topo-portal').count();
    check(topoPaths === 4 && portals === 4, `topology: ${portals} portals, ${topoPaths} paths`);
    const alua = await page.locator('#topology .topo-tpg [data-f="alua"]').allTextContents();
    check(alua.includes('active/optimized') && alua.includes('active/non-optimized'), `ALUA states: ${alua}`);
    const groups = await page.locator('#groups tbody tr').count();
    check(groups === 2, `groups: ${groups}`);
    step(`detail: 4 paths, 4 portals, ALUA ${[...new Set(alua)].join(' + ')}, ${groups} groups; table '${table}'`);
    await noHorizontalScroll(page, 'map detail at 1280');
    step(`map detail: ${await checkContrast(page, 'map detail')} texts at WCAG AA contrast`);
    await screenshot(page, 'map-detail.png');

    // Every control has a name a screen reader can say.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, a, input')]
        .filter(n => n.offsetParent !== null && !(n.innerText || n.getAttribute('aria-label') || n.labels?.length))
        .map(n => n.outerHTML.slice(0, 80)));
    check(unnamed.length === 0, `controls without a name: ${unnamed}`);

    await page.getByRole('link', {name: 'Events'}).click();
    const created = page.locator('#events li', {hasText: 'MAP_CREATED'});
    await created.first().waitFor();
    step(`events: ${(await created.first().innerText()).replace(/\s+/g, ' ').slice(0, 80)}`);
    await page.goBack();
    await page.getByRole('heading', {name: 'Paths'}).waitFor();

    await page.setViewportSize({width: 400, height: 800});
    await noHorizontalScroll(page, 'map detail at 400');
    await screenshot(page, 'map-detail-narrow.png');
    await page.getByRole('link', {name: 'All maps'}).click();
    await card.waitFor();
    await noHorizontalScroll(page, 'overview at 400');
    await screenshot(page, 'overview-narrow.png');
    step('narrow 400 px: no horizontal scrolling');
});
