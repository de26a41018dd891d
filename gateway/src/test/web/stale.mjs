// When the connection to the gateway drops (the test resets every connection of the proxy the browser goes
// through and refuses new ones), the page says since when its data is stale and greys it; once the gateway is
// reachable again it reconnects by itself, without a reload, and the banner goes.
import {awaitTest, check, login, scenario, step, until} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';

await scenario({width: 1280, height: 800}, async ({page}) => {
    await login(page);
    await page.locator(`.map-card[data-map="${MAP}"] .health`).waitFor();
    const banner = page.locator('#stale');
    check(await banner.isHidden(), 'stale banner shown while live');

    await page.evaluate(() => { window.__sameDocument = true; });
    await awaitTest('cut');
    const t0 = Date.now();
    await banner.waitFor({state: 'visible', timeout: 12000});
    const text = await banner.textContent();
    check(/^Stale since \d\d:\d\d:\d\d: /.test(text), `banner: '${text}'`);
    check(await page.evaluate(() => document.body.classList.contains('stale')), 'data not greyed');
    const health = await page.locator(`.map-card[data-map="${MAP}"] .health`).evaluate(n => getComputedStyle(n, '::after').content);
    check(health.includes('stale'), `health word not marked stale: ${health}`);
    step(`offline: banner after ${Date.now() - t0} ms: ${text}`);

    await awaitTest('restore');
    const t1 = Date.now();
    await banner.waitFor({state: 'hidden', timeout: 20000});
    await until('freshness', () => page.locator('#freshness').textContent(), t => t.startsWith('live'));
    check(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
    step(`online: live again after ${Date.now() - t1} ms`);
});
