// "Fail path" on the map page asks first (Cancel does nothing), then fails the path: the dm status line shows it F
// and the row says "disabled by admin"; "Reinstate" brings it back to A.
import {check, login, scenario, step, until} from './lib.mjs';

const MAP = process.env.MPATHGW_MAP || 'mpatha';

await scenario({width: 1280, height: 800}, async ({page}) => {
    await login(page);
    await page.goto(`/#/map/${MAP}`);
    const rows = page.locator('#paths tbody tr');
    await until('path rows', () => rows.count(), n => n === 4);
    const status = page.locator('#dm-status');
    // The first path the selector uses: group 1 is the active/optimized group.
    const dev = await rows.filter({has: page.locator('[data-f="dm"]', {hasText: /^active/})}).first().getAttribute('data-path');
    const row = page.locator(`#paths tbody tr[data-path="${dev}"]`);
    const devT = (await row.locator('[data-f="devT"]').textContent()).trim().split(' ')[0];
    const before = await until('status with the path active', () => status.textContent(), s => s.includes(`${devT} A `));
    step(`failing ${dev} (${devT}); status before: ${before}`);

    const dialog = page.getByRole('dialog');
    await row.getByRole('button', {name: 'Fail path'}).click();
    await dialog.waitFor();
    let text = await dialog.locator('#confirm-text').textContent();
    check(text.startsWith(`Fail path ${dev} (127.0.0.1:`) && text.includes('I/O moves to'), `confirmation: '${text}'`);
    await dialog.getByRole('button', {name: 'Cancel'}).click();
    await page.waitForTimeout(700);
    check((await status.textContent()).includes(`${devT} A `), 'Cancel still failed the path');
    step(`confirmation: ${text}`);

    // A refusal is shown in the gateway's own words (the 503 a map thread that does not answer gives, played
    // here by the browser for this one request).
    const refusal = 'fail path sda: the map thread did not answer within 30s';
    await page.route('**/api/v1/paths/*/fail', r => r.fulfill({status: 503, contentType: 'application/json',
        body: JSON.stringify({error: refusal})}), {times: 1});
    await row.getByRole('button', {name: 'Fail path'}).click();
    await dialog.getByRole('button', {name: `Fail ${dev}`}).click();
    const banner = page.locator('#error');
    await banner.waitFor();
    check((await banner.textContent()).includes(`Fail path: ${refusal}`), `error banner: '${await banner.textContent()}'`);
    check((await status.textContent()).includes(`${devT} A `), 'the refused fail changed the status');
    await page.getByRole('button', {name: 'Dismiss error'}).click();
    step(`refusal shown: ${refusal}`);

    await row.getByRole('button', {name: 'Fail path'}).click();
    await dialog.getByRole('button', {name: `Fail ${dev}`}).click();
    const t0 = Date.now();
    const after = await until('dm status after fail path', () => status.textContent(), s => s.includes(`${devT} F `), 5000);
    check(after !== before, 'status line unchanged');
    await until('row state', () => row.locator('[data-f="dm"]').textContent(), t => t === 'disabled by admin');
    step(`status after ${Date.now() - t0} ms: ${after}`);

    await row.getByRole('button', {name: 'Reinstate'}).click();
    text = await dialog.locator('#confirm-text').textContent();
    check(text.startsWith(`Reinstate path ${dev} (`), `reinstate confirmation: '${text}'`);
    await dialog.getByRole('button', {name: `Reinstate ${dev}`}).click();
    const back = await until('dm status after reinstate', () => status.textContent(), s => s.includes(`${devT} A `), 8000);
    step(`reinstated: ${back}`);

    // Disable group 2, then enable it: the group's letter in the status line goes D and back to E.
    const g2 = page.locator('#groups tbody tr[data-group="2"]');
    await g2.getByRole('button', {name: 'Disable'}).click();
    text = await dialog.locator('#confirm-text').textContent();
    check(text.startsWith(`Disable group 2 of ${MAP} (`), `disable confirmation: '${text}'`);
    await dialog.getByRole('button', {name: 'Disable group 2'}).click();
    await until('group 2 status', () => g2.locator('[data-f="status"]').textContent(), t => t === 'disabled', 5000);
    const disabled = await until('status with group 2 bypassed', () => status.textContent(), s => / D 0 2 2 8:/.test(s), 3000);
    step(`group 2 disabled: ${disabled}`);
    await g2.getByRole('button', {name: 'Enable'}).click();
    await dialog.getByRole('button', {name: 'Enable group 2'}).click();
    await until('group 2 status', () => g2.locator('[data-f="status"]').textContent(), t => t !== 'disabled', 5000);
    step(`group 2 enabled: ${await status.textContent()}`);
});
