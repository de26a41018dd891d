// With every portal down the map page shows "Queueing" with a countdown that runs; "Fail queued I/O now" (confirmed)
// turns queueing off and the map Failed; "Turn queueing on" restores it.
import {awaitTest, check, checkContrast, login, noHorizontalScroll, scenario, screenshot, step, until} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';
const COUNTDOWN = /^all paths down, queued I\/O fails in (\d+) s of (\d+) s$/;

await scenario({width: 1280, height: 800}, async ({page}) => {
    await login(page);
    await page.goto(`/#/map/${MAP}`);
    const health = page.locator('#view-map [data-f="health"]');
    const reason = page.locator('#view-map [data-f="reason"]');
    await until('health before', () => health.textContent(), t => t === 'Optimal');

    await awaitTest('kill-all');
    const t0 = Date.now();
    await until('health with every portal down', () => health.textContent(), t => t === 'Queueing', 15000);
    const first = await until('countdown', () => reason.textContent(), t => COUNTDOWN.test(t), 3000);
    step(`Queueing after ${Date.now() - t0} ms: ${first}`);
    await page.waitForTimeout(2200);
    const second = await reason.textContent();
    const [, left1, total1] = COUNTDOWN.exec(first);
    const m2 = COUNTDOWN.exec(second);
    check(m2, `countdown went away: '${second}'`);
    check(Number(m2[1]) < Number(left1) && Number(m2[1]) >= Number(left1) - 4, `countdown did not run: '${first}' then '${second}'`);
    check(m2[2] === total1, `countdown length changed: '${first}' then '${second}'`);
    step(`2.2 s later: ${second}`);
    // The long causes of a dead portal's paths wrap or scroll inside their table; the page keeps its width.
    await until('the path rows say why', () => page.locator('#paths [data-f="cause"]').first().textContent(), t => t.length > 0);
    await noHorizontalScroll(page, 'map detail with every portal down');
    step(`all down: ${await checkContrast(page, 'map detail with every portal down')} texts at WCAG AA contrast`);
    await screenshot(page, 'map-queueing.png');

    const dialog = page.getByRole('dialog');
    await page.getByRole('button', {name: 'Fail queued I/O now'}).click();
    const text = await dialog.locator('#confirm-text').textContent();
    check(text.startsWith(`Fail queued I/O of ${MAP} now?`), `confirmation: '${text}'`);
    await dialog.getByRole('button', {name: 'Fail queued I/O'}).click();
    await until('health after queueing off', () => health.textContent(), t => t === 'Failed', 5000);
    const q = await page.locator('#view-map [data-f="queueing"]').textContent();
    check(q.startsWith('off: I/O fails when no path is left (off, no_path_retry 30)'), `queueing field: '${q}'`);
    step(`queueing off: Failed, ${q}`);

    await page.getByRole('button', {name: 'Turn queueing on'}).click();
    await dialog.getByRole('button', {name: 'Queue again'}).click();
    await until('health after queueing on', () => health.textContent(), t => t === 'Queueing', 5000);
    step(`queueing on again: ${await reason.textContent()}`);

    // The overview shows every map counting down (mpatha restarted its countdown when queueing came back on).
    await page.getByRole('link', {name: 'All maps'}).click();
    const reasons = await until('every map counting down', () => page.locator('.map-card .reason').allTextContents(),
        rs => rs.length > 1 && rs.every(r => COUNTDOWN.test(r)), 5000);
    step(`overview: ${reasons.join(' | ')}`);
    await screenshot(page, 'overview-queueing.png');
});
