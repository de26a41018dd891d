// The page's words and numbers (assets/format.js) under node's test runner; no browser. Run by PageFormatTest.
// format.js is a browser module outside any package.json, so it is loaded from its source as a data: URL.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const src = readFileSync(fileURLToPath(new URL('../../main/resources/META-INF/resources/assets/format.js', import.meta.url)), 'utf8');
const f = await import('data:text/javascript;base64,' + Buffer.from(src).toString('base64'));

const TABLE = '0 32768 multipath 1 queue_if_no_path 1 alua 2 1 service-time 0 2 2 8:0 1 1 8:16 1 1 service-time 0 2 2 8:32 1 1 8:48 1 1';
const path = (dev, group, dmState, extra = {}) => ({dev, group, dmState, portal: `127.0.0.1:326${group},${group}`,
    adminFailed: false, carryingIo: false, ...extra});
const map = (paths, extra = {}) => ({name: 'mpatha', failback: 'immediate', noPathRetry: '12', queueing: '12 chk',
    counters: {queued: 0}, groups: [1, 2].map(n => ({number: n, paths: paths.filter(p => p.group === n)})), ...extra});

test('capacity in binary units, three significant digits', () => {
    assert.equal(f.capacity(32768), '16.0 MiB');
    assert.equal(f.capacity(1), '512 B');
    assert.equal(f.capacity(6291456), '3.00 GiB');
    assert.equal(f.capacity(3907029168), '1.82 TiB');
    assert.equal(f.capacity(2 ** 31), '1.00 TiB');
});

test('policy with its sub-policy from the table', () => {
    assert.equal(f.repeatCount(TABLE), 1);
    assert.equal(f.policy({selector: 'service-time 0', table: TABLE}), 'service-time, next path after 1 I/O');
    assert.equal(f.policy({selector: 'round-robin 0', table: '0 32768 multipath 0 0 1 1 round-robin 0 2 1 8:0 100 8:16 100'}),
        'round-robin, next path after 100 I/O');
    assert.equal(f.repeatCount('0 8 multipath 0 0 1 1 round-robin 0 1 0 8:0'), null);
    assert.equal(f.policy({selector: 'historical-service-time 2 0 1000', table: ''}), 'historical-service-time 0 1000');
    assert.equal(f.repeatCount('garbage'), null);
});

test('hardware handler', () => {
    assert.equal(f.handler('1 alua'), 'alua');
    assert.equal(f.handler('0'), 'none');
});

test('health reason: the countdown while queueing, the daemon\'s reason otherwise', () => {
    assert.equal(f.healthReason({health: 'Optimal', healthReason: '4/4 paths, 2 target port groups'}, null, null),
        '4/4 paths, 2 target port groups');
    const q = {health: 'Queueing', healthReason: 'no path; queueing 37 sec', queueing: '37 sec', noPathRetry: '59'};
    assert.equal(f.healthReason(q, 37, 60), 'all paths down, queued I/O fails in 37 s of 60 s');
    assert.equal(f.healthReason(q, 37, null), 'all paths down, queued I/O fails in 37 s');
    assert.equal(f.healthReason({health: 'Queueing', queueing: 'on', noPathRetry: 'queue'}, null, null),
        'all paths down, I/O queues until a path returns');
    assert.equal(f.queueSecondsLeft('12 sec'), 12);
    assert.equal(f.queueSecondsLeft('5 chk'), null);
    assert.equal(f.recoveryMillis('no_path_retry 30: entering recovery mode, 31000 ms'), 31000);
});

test('queueing column in words', () => {
    assert.equal(f.queueingWords({queueing: '5 chk', noPathRetry: '5'}), 'on for 5 checks once every path is down (5 chk, no_path_retry 5)');
    assert.equal(f.queueingWords({queueing: '12 sec', noPathRetry: '5'}), 'counting down, 12 s left (12 sec, no_path_retry 5)');
    assert.equal(f.queueingWords({queueing: 'off', noPathRetry: 'fail'}), 'off: I/O fails when no path is left (off, no_path_retry fail)');
});

test('fail path says where the I/O goes', () => {
    const a = path('sda', 1, 'active'), b = path('sdb', 1, 'active'), c = path('sdc', 2, 'active'), d = path('sdd', 2, 'active');
    assert.equal(f.confirmFail(map([a, b, c, d]), a),
        'Fail path sda (127.0.0.1:3261, group 1)? I/O moves to the other active path of group 1 (sdb). It stays failed until you reinstate it.');
    const lone = {...b, dmState: 'failed'};
    assert.match(f.confirmFail(map([a, lone, c, d]), a), /Group 1 has no other active path: I\/O switches to group 2 \(sdc, sdd\)\./);
    const down = p => ({...p, dmState: 'failed'});
    assert.match(f.confirmFail(map([a, down(b), down(c), down(d)]), a), /last active path of mpatha: I\/O queues \(no_path_retry 12\)/);
    assert.match(f.confirmFail(map([a, down(b), down(c), down(d)], {queueing: 'off'}), a), /I\/O fails until a path is back/);
    assert.match(f.confirmFail(map([a, down(b), c, d]), down(b)), /carries no I\/O now/);
});

test('path state keeps the operator apart from the checker', () => {
    assert.equal(f.pathState({dmState: 'failed', adminFailed: true}), 'disabled by admin');
    assert.equal(f.pathState({dmState: 'failed', adminFailed: false}), 'failed');
    assert.equal(f.pathState({dmState: 'active', carryingIo: true}), 'active (I/O)');
});
