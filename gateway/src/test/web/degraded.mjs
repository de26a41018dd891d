// A portal killed through the simulator turns the map Degraded on the open overview within a few seconds, without a
// reload: the same DOM node changes in place.
import {awaitTest, check, login, scenario, step, until} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';

await scenario({width: 1280, height: 800}, async ({page}) => {
    await login(page);
    const healthNode = page.locator(`.map-card[data-map="${MAP}"] .health`);
    await until('health before the fault', () => healthNode.textContent(), t => t === 'Optimal');
    await page.evaluate(() => { window.__sameDocument = true; });
    const handle = await healthNode.elementHandle();

    await awaitTest('kill-portal');
    const t0 = Date.now();
    await until('health after the kill', () => healthNode.textContent(), t => t === 'Degraded', 10000);
    const ms = Date.now() - t0;
    const reason = await page.locator(`.map-card[data-map="${MAP}"] .reason`).textContent();
    check(/^3\/4 paths/.test(reason), `reason beside Degraded: '${reason}'`);
    check(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
    check(await handle.evaluate(n => n.isConnected && n.textContent === 'Degraded'), 'the health node was replaced, not updated');
    check((await page.title()).startsWith('Degraded'), `tab title: '${await page.title()}'`);
    // The portal carried a path of every LUN: every map's card says so.
    const words = await until('every map Degraded', () => page.locator('.map-card .health').allTextContents(),
        ws => ws.length > 1 && ws.every(w => w === 'Degraded'), 5000);
    step(`every map: ${words.join(', ')}`);
    step(`Degraded after ${ms} ms without a reload: ${reason}`);

    // Retry login now on the dead portal's session: confirmed, accepted (the login itself fails while it is down).
    const session = page.locator('#sessions tbody tr').filter({has: page.locator('[data-f="state"]', {hasNotText: 'LOGGED_IN'})}).first();
    await session.waitFor({timeout: 10000});
    const portal = (await session.locator('[data-f="portal"]').textContent()).replace(/,\d+$/, '');
    await session.getByRole('button', {name: 'Retry login now'}).click();
    const text = await page.locator('#confirm-text').textContent();
    check(text.startsWith(`Retry login to ${portal} now?`), `relogin confirmation: '${text}'`);
    const answer = page.waitForResponse(r => r.url().includes('/api/v1/sessions/relogin?portal='));
    await page.getByRole('button', {name: 'Retry login', exact: true}).click();
    const res = await answer;
    check(res.status() === 200, `relogin answered ${res.status()} ${await res.text()}`);
    check(await page.locator('#error').isHidden(), 'an error banner after relogin');
    step(`retry login ${portal}: ${res.status()} ${await res.text()}`);
});
