// An unauthenticated visitor sees only the login: the page and the API refuse, nothing of the maps shows; a wrong
// password says so; the right one lands on the overview.
import {base, check, password, scenario, step, until, user} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';

await scenario({width: 1280, height: 800}, async ({page}) => {
    for (const path of ['/', '/index.html', `/#/map/${MAP}`]) {
        await page.goto(path);
        check(new URL(page.url()).pathname === '/login.html', `${path} showed ${page.url()}, not the login`);
    }
    const body = await page.locator('body').innerText();
    check(!body.includes(MAP) && !body.includes('Multipath maps'), `the login page shows map data: '${body}'`);
    check(await page.getByLabel('Password').isVisible(), 'no password field');
    // The API asked without the session cookie (from node: a browser would answer the Basic challenge with a prompt).
    const api = await fetch(`${base}/api/v1/maps`);
    check(api.status === 401 && (api.headers.get('www-authenticate') || '').startsWith('Basic '),
        `GET /api/v1/maps without login: ${api.status} ${api.headers.get('www-authenticate')}`);
    // The page's own requests get a bare 401 (a Basic challenge would raise the browser's prompt).
    const xhr = await fetch(`${base}/api/v1/maps`, {headers: {'X-Requested-With': 'XMLHttpRequest'}});
    check(xhr.status === 401 && !xhr.headers.get('www-authenticate'),
        `the page's GET /api/v1/maps without login: ${xhr.status} ${xhr.headers.get('www-authenticate')}`);
    const stream = await fetch(`${base}/api/v1/stream`, {headers: {Accept: 'text/event-stream'}});
    check(stream.status === 401 && !stream.headers.get('www-authenticate'),
        `GET /api/v1/stream without login: ${stream.status} ${stream.headers.get('www-authenticate')}`);
    const data = `${await api.text()} ${await xhr.text()} ${await stream.text()}`;
    check(!data.includes(MAP), `the refusal shows map data: '${data}'`);
    step(`unauthenticated: /, /index.html and the map page show the login; /api/v1/maps and the stream 401`);

    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(password + 'x');
    await page.getByRole('button', {name: 'Log in'}).click();
    await page.getByRole('alert').waitFor();
    check((await page.getByRole('alert').textContent()).includes('Wrong user or password'), 'no error for a wrong password');
    check(new URL(page.url()).pathname === '/login.html', `wrong password went to ${page.url()}`);
    step('wrong password: "Wrong user or password."');

    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', {name: 'Log in'}).click();
    await page.waitForURL(`${base}/`);
    await until('map after login', () => page.locator(`.map-card[data-map="${MAP}"] .health`).count(), n => n === 1);
    step('right password: the overview with the map');
});
