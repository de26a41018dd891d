// A session that ends (cookie gone: expired, or the gateway restarted with a new key) sends the open page back to
// the login by itself, within a few seconds and without the browser's own Basic-auth prompt.
import {check, login, scenario, step} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';

await scenario({width: 1280, height: 800}, async ({page, context}) => {
    await login(page);
    await page.locator(`.map-card[data-map="${MAP}"] .health`).waitFor();
    await context.clearCookies();
    const t0 = Date.now();
    await page.waitForURL(u => new URL(u).pathname === '/login.html', {timeout: 10000});
    check(await page.getByLabel('Password').isVisible(), 'no login form');
    step(`session gone: the login after ${Date.now() - t0} ms`);
});
