// The admin page: overview of the maps, one map's detail, the events timeline. Data comes from the live stream
// (maps and events) plus /api/v1/sessions; every node is keyed by map, path, group, portal or event seq and updated
// in place.
import {api, ApiError, toLogin} from './api.js';
import {LiveStream} from './live.js';
import {el, field, reconcile, setAttr, setText, setVariant} from './dom.js';
import * as fmt from './format.js';

const EVENTS_KEPT = 300;
const $ = id => document.getElementById(id);

const state = {
    maps: [],                 // MapView[] as last received
    sessions: [],             // SessionView[]
    events: [],               // EventView[], oldest first
    lastSeq: 0,
    countdown: new Map(),     // map name -> {deadline: ms epoch, total: s}
    recoveryTotal: new Map(), // map name -> countdown length in s, from the last QUEUEING_ON event
    stale: false,
    route: {view: 'overview'},
};

// ------------------------------------------------------------------ routing

function parseRoute() {
    const h = window.location.hash;
    const m = /^#\/map\/(.+)$/.exec(h);
    if (m) return {view: 'map', map: decodeURIComponent(m[1])};
    if (h === '#/events') return {view: 'events'};
    return {view: 'overview'};
}

function route() {
    state.route = parseRoute();
    $('view-overview').hidden = state.route.view !== 'overview';
    $('view-map').hidden = state.route.view !== 'map';
    $('view-events').hidden = state.route.view !== 'events';
    setAttr($('nav-overview'), 'aria-current', state.route.view === 'overview' ? 'page' : null);
    setAttr($('nav-events'), 'aria-current', state.route.view === 'events' ? 'page' : null);
    if (state.route.view === 'map') {
        // A different map: its keyed nodes belong to the previous one.
        const root = $('view-map');
        if (root.dataset.map !== state.route.map) {
            for (const id of ['topology', 'map-events']) $(id).replaceChildren();
            for (const id of ['groups', 'paths']) $(id).tBodies[0].replaceChildren();
            root.dataset.map = state.route.map;
        }
    }
    render();
}

// ------------------------------------------------------------------ errors and confirmation

function showError(text) {
    setText($('error-text'), text);
    $('error').hidden = false;
}

/** Asks with the exact consequence; resolves true only on the explicit confirm button. */
function confirmAction(title, text, okLabel) {
    const d = $('confirm');
    setText($('confirm-title'), title);
    setText($('confirm-text'), text);
    setText($('confirm-ok'), okLabel);
    d.returnValue = '';
    return new Promise(resolve => {
        d.addEventListener('close', () => resolve(d.returnValue === 'ok'), {once: true});
        d.showModal();
        $('confirm-ok').focus();
    });
}

async function act(button, title, text, okLabel, run) {
    if (!await confirmAction(title, text, okLabel)) return;
    button.disabled = true;
    try {
        await run();
        $('error').hidden = true;
    } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) showError(`${title}: ${e.message}`);
    } finally {
        button.disabled = false;
    }
}

// ------------------------------------------------------------------ derived values

function mapNamed(name) {
    return state.maps.find(m => m.name === name || m.wwid === name);
}

function updateCountdowns(maps) {
    const now = Date.now();
    for (const m of maps) {
        const left = fmt.queueSecondsLeft(m.queueing);
        if (m.health === 'Queueing' && left != null) {
            const prev = state.countdown.get(m.name);
            const total = Math.max(prev ? prev.total : 0, left, state.recoveryTotal.get(m.name) || 0);
            state.countdown.set(m.name, {deadline: now + left * 1000, total});
        } else state.countdown.delete(m.name);
    }
}

function reasonOf(m) {
    const c = state.countdown.get(m.name);
    if (!c) return fmt.healthReason(m, null, null);
    const left = Math.max(0, Math.ceil((c.deadline - Date.now()) / 1000));
    return fmt.healthReason(m, left, c.total);
}

function healthWord(m) {
    return m.health === 'Queueing' ? 'Queueing' : m.health;
}

// ------------------------------------------------------------------ overview

function mapCard(m) {
    const href = `#/map/${encodeURIComponent(m.name)}`;
    return el('li', {class: 'map-card', 'data-map': m.name},
        el('div', {class: 'map-head'},
            el('a', {class: 'map-name', href, 'data-f': 'name'}),
            el('span', {class: 'health', 'data-f': 'health', 'aria-live': 'polite'})),
        el('p', {class: 'reason', 'data-f': 'reason'}),
        el('dl', {class: 'facts compact'},
            el('div', {}, el('dt', {}, 'Capacity'), el('dd', {'data-f': 'capacity'})),
            el('div', {}, el('dt', {}, 'Paths'), el('dd', {'data-f': 'paths'})),
            el('div', {}, el('dt', {}, 'WWID'), el('dd', {class: 'mono', 'data-f': 'wwid'})),
            el('div', {}, el('dt', {}, 'Vendor / product'), el('dd', {'data-f': 'vendor'})),
            el('div', {}, el('dt', {}, 'Policy'), el('dd', {'data-f': 'policy'})),
            el('div', {}, el('dt', {}, 'Hardware handler'), el('dd', {'data-f': 'handler'}))));
}

function updateMapCard(n, m) {
    setText(field(n, 'name'), m.name);
    const h = field(n, 'health');
    setText(h, healthWord(m));
    setVariant(h, 'h-', fmt.healthClass(m.health));
    setText(field(n, 'reason'), reasonOf(m));
    setText(field(n, 'capacity'), fmt.capacity(m.sizeSectors));
    setText(field(n, 'paths'), `${m.nrActivePaths} of ${m.nrPaths} active`);
    setText(field(n, 'wwid'), m.wwid);
    setText(field(n, 'vendor'), `${m.vendor} ${m.product}`);
    setText(field(n, 'policy'), fmt.policy(m));
    setText(field(n, 'handler'), fmt.handler(m.hwHandler));
}

function renderOverview() {
    $('no-maps').hidden = state.maps.length > 0;
    reconcile($('maps'), state.maps, m => m.name, mapCard, updateMapCard);
    renderSessions();
}

function renderSessions() {
    reconcile($('sessions').tBodies[0], state.sessions, s => `${s.portal} ${s.target} ${s.isid}`,
        s => el('tr', {},
            el('td', {'data-label': 'Portal', 'data-f': 'portal'}),
            el('td', {'data-label': 'Target', class: 'mono', 'data-f': 'target'}),
            el('td', {'data-label': 'ISID', class: 'mono', 'data-f': 'isid'}),
            el('td', {'data-label': 'TSIH', 'data-f': 'tsih'}),
            el('td', {'data-label': 'State'}, el('span', {class: 'badge', 'data-f': 'state'})),
            el('td', {'data-label': 'Reconnects', 'data-f': 'reconnects'}),
            el('td', {'data-label': 'Last error', 'data-f': 'error'}),
            el('td', {'data-label': 'Paths', 'data-f': 'paths'}),
            el('td', {'data-label': 'Actions'}, el('button', {type: 'button', class: 'act', 'data-act': 'relogin'},
                'Retry login now'))),
        (n, s) => {
            setText(field(n, 'portal'), s.portal);
            setText(field(n, 'target'), s.target);
            setText(field(n, 'isid'), s.isid);
            setText(field(n, 'tsih'), s.tsih);
            const st = field(n, 'state');
            setText(st, s.state);
            setVariant(st, 'b-', s.state === 'LOGGED_IN' ? 'ok' : s.state === 'FAILED' ? 'bad' : 'warn');
            setText(field(n, 'reconnects'), s.reconnects);
            setText(field(n, 'error'), s.lastError || '–');
            setText(field(n, 'paths'), (s.paths || []).join(' '));
            n.querySelector('[data-act="relogin"]').dataset.portal = fmt.portalAddress(s.portal);
        });
}

// ------------------------------------------------------------------ map detail

function renderMap() {
    const root = $('view-map');
    const m = mapNamed(state.route.map);
    root.classList.toggle('missing', !m);
    if (!m) {
        setText(field(root, 'name'), state.route.map);
        setText(field(root, 'health'), state.maps.length ? 'Unknown map' : 'Loading…');
        setText(field(root, 'reason'), state.maps.length ? 'The gateway has no map by that name.' : '');
        return;
    }
    document.title = `${m.name}: ${m.health} – mpathgw`;
    setText(field(root, 'name'), m.name);
    const h = field(root, 'health');
    setText(h, healthWord(m));
    setVariant(h, 'h-', fmt.healthClass(m.health));
    setText(field(root, 'reason'), reasonOf(m));
    setText(field(root, 'wwid'), m.wwid);
    setText(field(root, 'dmName'), m.dmName);
    setText(field(root, 'capacity'), `${fmt.capacity(m.sizeSectors)} (${m.sizeSectors} sectors, ${m.blockSize}-byte blocks)`);
    setText(field(root, 'vendor'), `${m.vendor} ${m.product} ${m.revision}`.trim());
    setText(field(root, 'policy'), `${fmt.policy(m)} (${m.selector}), features ${m.features}`);
    setText(field(root, 'handler'), fmt.handler(m.hwHandler));
    setText(field(root, 'failback'), m.failback);
    setText(field(root, 'queueing'), `${fmt.queueingWords(m)}; ${m.counters.queued} queued now`);
    const c = m.counters;
    setText(field(root, 'io'), `${c.reads} reads, ${c.writes} writes, ${c.inFlight} in flight, ${c.errors} errors`);
    setText(field(root, 'faults'), `${c.pathFaults} / ${c.switchGroup}`);
    const queueingOff = m.queueing === 'off';
    root.querySelector('[data-act="queue-off"]').hidden = queueingOff || m.noPathRetry === 'fail';
    root.querySelector('[data-act="queue-on"]').hidden = !queueingOff || m.noPathRetry === 'fail';
    renderTopology(m);
    renderGroups(m);
    renderPaths(m);
    setText($('dm-table'), m.table);
    setText($('dm-status'), m.status);
    renderTimeline($('map-events'), state.events.filter(e => e.map === m.name), 50);
}

function renderGroups(m) {
    reconcile($('groups').tBodies[0], m.groups, g => g.number,
        () => el('tr', {},
            el('th', {scope: 'row', 'data-label': 'Group', 'data-f': 'number'}),
            el('td', {'data-label': 'Status'}, el('span', {class: 'badge', 'data-f': 'status'})),
            el('td', {'data-label': 'Priority', 'data-f': 'priority'}),
            el('td', {'data-label': 'Selector', class: 'mono', 'data-f': 'selector'}),
            el('td', {'data-label': 'Paths', 'data-f': 'paths'}),
            el('td', {'data-label': 'Actions', class: 'actions'},
                el('button', {type: 'button', class: 'act', 'data-act': 'group-switch'}, 'Switch to'),
                el('button', {type: 'button', class: 'act', 'data-act': 'group-disable'}, 'Disable'),
                el('button', {type: 'button', class: 'act', 'data-act': 'group-enable'}, 'Enable'))),
        (n, g) => {
            n.dataset.group = g.number;
            setText(field(n, 'number'), g.number);
            const st = field(n, 'status');
            setText(st, g.status);
            setVariant(st, 'b-', g.status === 'active' ? 'ok' : g.status === 'disabled' ? 'warn' : 'plain');
            setText(field(n, 'priority'), g.priority);
            setText(field(n, 'selector'), g.selector);
            setText(field(n, 'paths'), g.paths.map(p => `${p.dev} ${fmt.pathState(p)}`).join(', '));
            n.querySelector('[data-act="group-switch"]').hidden = g.status === 'active';
            n.querySelector('[data-act="group-disable"]').hidden = g.status === 'disabled';
            n.querySelector('[data-act="group-enable"]').hidden = g.status !== 'disabled';
        });
}

function pathRow() {
    const td = (label, f, cls) => el('td', {'data-label': label, 'data-f': f, class: cls});
    return el('tr', {},
        el('th', {scope: 'row', 'data-label': 'Path'}, el('span', {class: 'dev', 'data-f': 'dev'}),
            el('span', {class: 'sub', 'data-f': 'devT'})),
        td('Portal', 'portal'),
        td('Session (ISID)', 'session', 'mono'),
        el('td', {'data-label': 'TPG / ALUA'}, el('span', {'data-f': 'tpg'}), ' ',
            el('span', {class: 'badge', 'data-f': 'alua'})),
        td('Checker', 'checker'),
        el('td', {'data-label': 'dm state'}, el('span', {class: 'badge', 'data-f': 'dm'})),
        td('I/O now', 'io'),
        td('Prio', 'prio'),
        td('Group', 'group'),
        el('td', {'data-label': 'Last change', class: 'cause'}, el('span', {'data-f': 'changed'}), ' ',
            el('span', {class: 'sub', 'data-f': 'cause'})),
        td('IOPS', 'iops', 'num'),
        td('Latency', 'latency', 'num'),
        el('td', {'data-label': 'Actions', class: 'actions'},
            el('button', {type: 'button', class: 'act danger', 'data-act': 'path-fail'}, 'Fail path'),
            el('button', {type: 'button', class: 'act', 'data-act': 'path-reinstate'}, 'Reinstate')));
}

function aluaVariant(s) {
    if (s === 'active/optimized') return 'ok';
    if (s === 'active/non-optimized') return 'plain';
    if (!s) return 'none';
    return s === 'standby' || s === 'transitioning' ? 'warn' : 'bad';
}

function renderPaths(m) {
    reconcile($('paths').tBodies[0], fmt.pathsOf(m), p => p.dev, pathRow, (n, p) => {
        n.dataset.path = p.dev;
        setText(field(n, 'dev'), p.dev);
        setText(field(n, 'devT'), ` ${p.devT} ${p.hcil}`);
        setText(field(n, 'portal'), p.portal);
        setText(field(n, 'session'), `${p.isid} / ${p.tsih}`);
        setText(field(n, 'tpg'), p.aluaTpg >= 0 ? `TPG ${p.aluaTpg}` : 'no TPG');
        const alua = field(n, 'alua');
        setText(alua, p.aluaState || 'no ALUA');
        setVariant(alua, 'b-', aluaVariant(p.aluaState));
        setText(field(n, 'checker'), `${p.checker}: ${p.checkerState}${p.onlineState === 'offline' ? ' (session offline)' : ''}`);
        const dm = field(n, 'dm');
        setText(dm, fmt.pathState(p));
        setVariant(dm, 'b-', p.adminFailed ? 'admin' : p.dmState === 'active' ? 'ok' : 'bad');
        setText(field(n, 'io'), p.carryingIo ? 'yes' : '–');
        setText(field(n, 'prio'), p.priority < 0 ? 'undef' : p.priority);
        setText(field(n, 'group'), p.group);
        setText(field(n, 'changed'), fmt.clock(p.lastChange));
        const cause = field(n, 'cause');
        setText(cause, p.lastCause);
        setAttr(cause, 'title', p.lastCause);
        setText(field(n, 'iops'), p.counters.iops);
        setText(field(n, 'latency'), fmt.latency(p.counters.latencyMicros));
        n.classList.toggle('carrying', p.carryingIo);
        n.querySelector('[data-act="path-fail"]').hidden = p.adminFailed;
        // Reinstate undoes an operator's fail; a path the checker failed comes back by itself when it answers.
        n.querySelector('[data-act="path-reinstate"]').hidden = !p.adminFailed;
    });
}

/** gateway → portal → target port group → path, as nested boxes (nested lists for assistive technology). */
function renderTopology(m) {
    const root = $('topology');
    if (!root.firstChild) {
        root.append(el('div', {class: 'topo-node topo-gw'},
            el('span', {class: 'topo-label'}, 'Gateway'),
            el('span', {class: 'sub', 'data-f': 'gw'}),
            el('ul', {class: 'topo-children'})));
    }
    const paths = fmt.pathsOf(m);
    setText(field(root, 'gw'), `${m.nrActivePaths}/${m.nrPaths} paths active`);
    // Portals in target port group order, so the two controllers' sides stay apart.
    const tpgOf = portal => Math.min(...paths.filter(p => p.portal === portal).map(p => p.aluaTpg));
    const portals = [...new Set(paths.map(p => p.portal))]
        .sort((a, b) => tpgOf(a) - tpgOf(b) || a.localeCompare(b, 'en', {numeric: true}));
    reconcile(root.querySelector('.topo-gw > ul'), portals, p => p,
        portal => el('li', {class: 'topo-node topo-portal'},
            el('span', {class: 'topo-label'}, 'Portal ', el('span', {'data-f': 'portal'})),
            el('span', {class: 'badge', 'data-f': 'session'}), ' ',
            el('button', {type: 'button', class: 'act small', 'data-act': 'relogin'}, 'Retry login now'),
            el('span', {class: 'topo-error', 'data-f': 'error'}),
            el('ul', {class: 'topo-children'})),
        (n, portal) => {
            const mine = paths.filter(p => p.portal === portal);
            setText(field(n, 'portal'), portal);
            const session = state.sessions.find(s => s.portal === portal && mine.some(p => p.isid === s.isid));
            const online = mine.some(p => p.onlineState === 'running');
            // The paths' online state is in the live stream; the session list is polled and may lag behind it.
            const word = online ? (session ? session.state : 'LOGGED_IN')
                : session && session.state !== 'LOGGED_IN' ? session.state : 'offline';
            const b = field(n, 'session');
            setText(b, word);
            setVariant(b, 'b-', word === 'LOGGED_IN' && online ? 'ok' : 'bad');
            setText(field(n, 'error'), session && session.lastError && !online ? session.lastError : '');
            n.querySelector('[data-act="relogin"]').dataset.portal = fmt.portalAddress(portal);
            const tpgs = [...new Set(mine.map(p => p.aluaTpg))].sort((a, b) => a - b);
            reconcile(n.querySelector('ul'), tpgs, t => t,
                () => el('li', {class: 'topo-node topo-tpg'},
                    el('span', {class: 'topo-label', 'data-f': 'tpg'}),
                    el('span', {class: 'badge', 'data-f': 'alua'}),
                    el('ul', {class: 'topo-children'})),
                (tn, tpg) => {
                    const members = mine.filter(p => p.aluaTpg === tpg);
                    setText(field(tn, 'tpg'), tpg >= 0 ? `Target port group ${tpg}` : 'No target port group');
                    const a = field(tn, 'alua');
                    const alua = members[0].aluaState;
                    setText(a, alua || 'no ALUA');
                    setVariant(a, 'b-', aluaVariant(alua));
                    reconcile(tn.querySelector('ul'), members, p => p.dev,
                        () => el('li', {class: 'topo-node topo-path'},
                            el('span', {class: 'topo-label', 'data-f': 'dev'}),
                            el('span', {class: 'badge', 'data-f': 'dm'}),
                            el('span', {class: 'sub', 'data-f': 'detail'})),
                        (pn, p) => {
                            pn.dataset.path = p.dev;
                            setText(field(pn, 'dev'), `Path ${p.dev}`);
                            const dm = field(pn, 'dm');
                            setText(dm, fmt.pathState(p));
                            setVariant(dm, 'b-', p.adminFailed ? 'admin' : p.dmState === 'active' ? 'ok' : 'bad');
                            setText(field(pn, 'detail'), `group ${p.group}, prio ${p.priority}, ${p.checkerState}`);
                        });
                });
        });
}

// ------------------------------------------------------------------ events

function renderTimeline(list, events, max) {
    const shown = events.slice(-max).reverse();
    reconcile(list, shown, e => e.seq,
        () => el('li', {},
            el('time', {'data-f': 'time'}),
            el('span', {class: 'badge b-plain', 'data-f': 'kind'}),
            el('span', {class: 'ev-where', 'data-f': 'where'}),
            el('span', {'data-f': 'message'})),
        (n, e) => {
            const t = field(n, 'time');
            setAttr(t, 'datetime', e.time);
            setText(t, fmt.clock(e.time));
            setText(field(n, 'kind'), e.kind);
            setText(field(n, 'where'), [e.map, e.path].filter(Boolean).join(' '));
            setText(field(n, 'message'), e.message);
        });
}

function addEvents(events) {
    for (const e of events) {
        if (e.seq <= state.lastSeq) continue;
        state.lastSeq = e.seq;
        state.events.push(e);
        const ms = fmt.recoveryMillis(e.message);
        if (ms != null && e.map) state.recoveryTotal.set(e.map, Math.ceil(ms / 1000));
    }
    if (state.events.length > EVENTS_KEPT) state.events.splice(0, state.events.length - EVENTS_KEPT);
}

// ------------------------------------------------------------------ rendering and freshness

function render() {
    if (state.route.view === 'overview') renderOverview();
    else if (state.route.view === 'map') renderMap();
    else renderTimeline($('events'), state.events, EVENTS_KEPT);
    if (state.route.view !== 'map') {
        // The tab says how bad it is without being looked at.
        const order = ['Lost', 'Failed', 'Queueing', 'Degraded', 'Starting', 'Optimal'];
        const worst = state.maps.map(m => m.health).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
        document.title = worst ? `${worst} – mpathgw (${state.maps.length} map${state.maps.length === 1 ? '' : 's'})` : 'mpathgw';
    }
}

function onStale(since) {
    state.stale = true;
    document.body.classList.add('stale');
    const b = $('stale');
    setText(b, `Stale since ${fmt.clock(since)}: the connection to the gateway dropped, reconnecting… The values below are the last ones received.`);
    b.hidden = false;
    setText($('freshness'), `stale since ${fmt.clock(since)}`);
}

function onLive() {
    state.stale = false;
    document.body.classList.remove('stale');
    $('stale').hidden = true;
    // Events raised while the stream was down.
    api.events(state.lastSeq, 1000).then(evs => { addEvents(evs); render(); }).catch(() => {});
}

async function refreshSessions() {
    if (state.stale || document.hidden) return;
    try {
        state.sessions = await api.sessions();
        if (state.route.view !== 'events') render();
    } catch { /* shown by the stream's stale banner */ }
}

// ------------------------------------------------------------------ actions

document.addEventListener('click', e => {
    const b = e.target.closest('button[data-act], button[data-copy]');
    if (!b) return;
    if (b.dataset.copy) {
        const text = $(b.dataset.copy).textContent;
        navigator.clipboard?.writeText(text).then(() => setText(b, 'Copied'), () => selectText($(b.dataset.copy)));
        setTimeout(() => setText(b, 'Copy'), 1500);
        return;
    }
    const m = mapNamed(state.route.map);
    const row = b.closest('[data-path]');
    const p = row && m ? fmt.pathsOf(m).find(q => q.dev === row.dataset.path) : null;
    const gRow = b.closest('[data-group]');
    const g = gRow && m ? m.groups.find(x => String(x.number) === gRow.dataset.group) : null;
    switch (b.dataset.act) {
        case 'path-fail':
            return act(b, 'Fail path', fmt.confirmFail(m, p), `Fail ${p.dev}`, () => api.failPath(p.dev));
        case 'path-reinstate':
            return act(b, 'Reinstate path', fmt.confirmReinstate(m, p), `Reinstate ${p.dev}`, () => api.reinstatePath(p.dev));
        case 'group-switch':
        case 'group-disable':
        case 'group-enable': {
            const what = b.dataset.act.slice(6);
            const label = `${what[0].toUpperCase()}${what.slice(1)} group ${g.number}`;
            return act(b, label, fmt.confirmGroup(m, g, what), label, () => api.group(m.name, g.number, what));
        }
        case 'queue-off':
            return act(b, 'Fail queued I/O now', fmt.confirmQueueing(m, false), 'Fail queued I/O', () => api.queueing(m.name, false));
        case 'queue-on':
            return act(b, 'Turn queueing on', fmt.confirmQueueing(m, true), 'Queue again', () => api.queueing(m.name, true));
        case 'relogin':
            return act(b, 'Retry login now', fmt.confirmRelogin(b.dataset.portal), 'Retry login',
                () => api.relogin(b.dataset.portal).then(refreshSessions));
    }
});

function selectText(n) {
    const r = document.createRange();
    r.selectNodeContents(n);
    const s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
}

// ------------------------------------------------------------------ start

$('error-close').addEventListener('click', () => { $('error').hidden = true; });
window.addEventListener('hashchange', route);

async function start() {
    route();
    try {
        const [maps, events] = await Promise.all([api.maps(), api.events(0, 10000)]);
        addEvents(events);
        updateCountdowns(maps);
        state.maps = maps;
        render();
    } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        showError(`Loading the maps: ${e.message}`);
    }
    refreshSessions();
    setInterval(refreshSessions, 3000);
    new LiveStream('/api/v1/stream', {
        onMaps: maps => {
            updateCountdowns(maps);
            state.maps = maps;
            setText($('freshness'), `live · updated ${fmt.clock(new Date())}`);
            render();
        },
        onEvent: e => {
            addEvents([e]);
            if (state.route.view !== 'overview') render();
        },
        onStale,
        onLive,
        onAuthLost: toLogin,
    }).start();
    // The queueing countdown runs between updates; frozen while stale (it would be a guess).
    setInterval(() => { if (!state.stale && state.countdown.size) render(); }, 1000);
}

start();
