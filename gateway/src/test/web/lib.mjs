// Shared by the browser scenarios. Each scenario is a plain node script run by
// io.mpathgw.gateway.web.WebPageBrowserTest with
//   MPATHGW_URL       the gateway's base URL (http://127.0.0.1:PORT)
//   MPATHGW_USER      the admin user, MPATHGW_PASSWORD its password
//   MPATHGW_SHOTS     a directory for screenshots (optional)
//   CHROMIUM          the browser (default /usr/bin/chromium; never downloaded)
// It prints "STEP ..." lines as it goes, "AWAIT <token>" when the test must do something to the array (the test
// answers with the token on stdin), and "PASS" at the end; any failure prints "FAIL ..." and exits 1.
import {chromium} from 'playwright-core';
import {createInterface} from 'node:readline';
import {join} from 'node:path';

export const base = process.env.MPATHGW_URL || fail('MPATHGW_URL is not set');
export const user = process.env.MPATHGW_USER || 'admin';
export const password = process.env.MPATHGW_PASSWORD || fail('MPATHGW_PASSWORD is not set');
const shots = process.env.MPATHGW_SHOTS || '';

export function fail(message) {
    console.log(`FAIL ${message}`);
    process.exit(1);
}

export function step(message) {
    console.log(`STEP ${message}`);
}

export function check(condition, message) {
    if (!condition) throw new Error(message);
}

const stdinLines = [];
const stdinWaiters = [];
createInterface({input: process.stdin}).on('line', line => {
    const w = stdinWaiters.shift();
    if (w) w(line.trim());
    else stdinLines.push(line.trim());
});

/** Asks the JUnit side to do {@code token} (kill a portal, ...) and waits until it says it did. */
export async function awaitTest(token) {
    console.log(`AWAIT ${token}`);
    const line = stdinLines.length ? stdinLines.shift() : await new Promise(r => stdinWaiters.push(r));
    check(line === token, `expected '${token}' from the test, got '${line}'`);
}

export async function launch(viewport = {width: 1280, height: 800}) {
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({viewport, baseURL: base});
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    page.on('pageerror', e => console.log(`PAGEERROR ${e.message}`));
    page.on('console', m => { if (m.type() === 'error') console.log(`CONSOLE ${m.text()}`); });
    return {browser, context, page};
}

/** Logs in through the form and waits for the overview. */
export async function login(page) {
    await page.goto('/');
    check(new URL(page.url()).pathname === '/login.html', `expected the login page, got ${page.url()}`);
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL(u => new URL(u).pathname === '/'), page.getByRole('button', {name: 'Log in'}).click()]);
    await page.getByRole('heading', {name: 'Multipath maps'}).waitFor();
}

export async function screenshot(page, name) {
    if (!shots) return;
    const file = join(shots, name);
    await page.screenshot({path: file, fullPage: true});
    step(`screenshot ${file}`);
}

/** Runs a scenario: PASS on success, FAIL with the message (and the page's URL) otherwise; always closes the browser. */
export async function scenario(viewport, body) {
    let browser;
    try {
        const b = await launch(viewport);
        browser = b.browser;
        await body(b);
        console.log('PASS');
    } catch (e) {
        console.log(`FAIL ${e.message.split('\n')[0]}`);
        process.exitCode = 1;
    } finally {
        if (browser) await browser.close();
        process.exit(process.exitCode || 0);
    }
}

/** Polls {@code read} until {@code ok(value)}; throws with the last value after {@code ms}. */
export async function until(what, read, ok, ms = 10000) {
    const end = Date.now() + ms;
    let v;
    for (;;) {
        v = await read();
        if (ok(v)) return v;
        if (Date.now() > end) throw new Error(`${what}: still '${v}' after ${ms} ms`);
        await new Promise(r => setTimeout(r, 100));
    }
}

/** The page fits its window: nothing to scroll sideways (wide tables scroll inside their own box). */
export async function noHorizontalScroll(page, what) {
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
}

/**
 * WCAG 2 contrast of every visible text against the background it is drawn on (the first opaque background among
 * its ancestors): at least 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Returns the number of texts checked.
 */
export async function checkContrast(page, what) {
    const bad = await page.evaluate(() => {
        const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
            const c = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
        };
        const background = n => {
            for (; n; n = n.parentElement) {
                const c = rgb(getComputedStyle(n).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
            }
            return [255, 255, 255];
        };
        const out = [];
        let checked = 0;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let t; (t = walker.nextNode());) {
            const n = t.parentElement;
            if (!t.textContent.trim() || !n || !n.checkVisibility || !n.checkVisibility()) continue;
            const st = getComputedStyle(n);
            const fg = rgb(st.color).slice(0, 3), bg = background(n);
            const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
            const ratio = (hi + 0.05) / (lo + 0.05);
            const size = parseFloat(st.fontSize), bold = Number(st.fontWeight) >= 700;
            const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            checked++;
            if (ratio < need) out.push(`'${t.textContent.trim().slice(0, 30)}' ${ratio.toFixed(2)}:1 (${st.color} on rgb(${bg}))`);
        }
        return {checked, out};
    });
    check(bad.out.length === 0, `${what}: text below WCAG AA contrast: ${bad.out.slice(0, 5).join('; ')}`);
    return bad.checked;
}
