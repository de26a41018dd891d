// Pure formatting: the words and numbers the page shows, from the API's records (gateway.model). No DOM here.

/** 512-byte sectors as the admin reads a capacity: binary units, three significant digits ("64.0 MiB", "1.82 TiB"). */
export function capacity(sectors) {
    let bytes = sectors * 512;
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    const digits = i === 0 || bytes >= 100 ? 0 : bytes >= 10 ? 1 : 2;
    return `${bytes.toFixed(digits)} ${units[i]}`;
}

/**
 * The path selector with its sub-policy as an admin reads it: "service-time 0" plus the table's per-path
 * repeat_count (rr_min_io_rq) gives "service-time, next path after 1 I/O" (VMware says round-robin iops=1).
 */
export function policy(map) {
    const words = (map.selector || '').trim().split(/\s+/);
    const name = words[0] || '?';
    const nargs = Number(words[1] || 0);
    const args = nargs > 0 ? ` ${words.slice(2, 2 + nargs).join(' ')}` : '';
    const repeat = repeatCount(map.table);
    return repeat == null ? name + args : `${name}${args}, next path after ${repeat} I/O`;
}

/**
 * The first path's repeat_count from a dm multipath table line ("0 32768 multipath <features> <hwhandler> <nr_pgs>
 * <next_pg> <selector> <nsel_args> ... <nr_paths> <nr_path_args> <dev> <args>..."), or null when it has none.
 */
export function repeatCount(table) {
    const t = (table || '').trim().split(/\s+/);
    let i = t.indexOf('multipath');
    if (i < 0) return null;
    i++;
    const skipCounted = () => { const n = Number(t[i]); if (!Number.isInteger(n)) throw new Error(); i += n + 1; };
    try {
        skipCounted();                 // features
        skipCounted();                 // hardware handler
        if (Number(t[i]) < 1) return null;
        i += 2;                        // nr_pgs, next_pg
        i++;                           // selector name
        skipCounted();                 // selector args
        const nrPaths = Number(t[i]), nrPathArgs = Number(t[i + 1]);
        if (!(nrPaths >= 1 && nrPathArgs >= 1) || t[i + 3] === undefined) return null;
        return Number(t[i + 3]);
    } catch {
        return null;
    }
}

/** The kernel's hwhandler field ("1 alua", "0") as a word. */
export function handler(hw) {
    const words = (hw || '0').trim().split(/\s+/);
    return words[0] === '0' || words.length < 2 ? 'none' : words.slice(1).join(' ');
}

/** "12 sec" -> 12; anything else (on, off, -, 5 chk) -> null. */
export function queueSecondsLeft(queueing) {
    const m = /^(\d+) sec$/.exec(queueing || '');
    return m ? Number(m[1]) : null;
}

/** The countdown's length in seconds from a QUEUEING_ON event ("... entering recovery mode, 13000 ms"), or null. */
export function recoveryMillis(message) {
    const m = /recovery mode, (\d+) ms/.exec(message || '');
    return m ? Number(m[1]) : null;
}

/**
 * The sentence beside the health word. Optimal/Degraded/Lost/Failed take the daemon's reason; Queueing says how long
 * queued I/O still waits: {@code left} seconds of {@code total} (both from the countdown the page keeps), or that it
 * queues until a path returns (no_path_retry queue).
 */
export function healthReason(map, left, total) {
    if (map.health !== 'Queueing') return map.healthReason;
    if (left != null) {
        const of = total != null && total >= left ? ` of ${total} s` : '';
        return `all paths down, queued I/O fails in ${left} s${of}`;
    }
    if (map.queueing === 'on' || map.noPathRetry === 'queue') return 'all paths down, I/O queues until a path returns';
    return `all paths down, ${map.healthReason}`;
}

/** multipathd's queueing column in words, the column itself kept in brackets ("off (off)" is not repeated). */
export function queueingWords(map) {
    const q = map.queueing || '-';
    const left = queueSecondsLeft(q);
    let words;
    if (left != null) words = `counting down, ${left} s left`;
    else if (q === 'on') words = 'on: I/O waits until a path returns';
    else if (q === 'off') words = 'off: I/O fails when no path is left';
    else if (/^\d+ chk$/.test(q)) words = `on for ${q.split(' ')[0]} checks once every path is down`;
    else words = 'as the table says';
    return `${words} (${q}, no_path_retry ${map.noPathRetry})`;
}

/** Health word to a CSS class suffix; unknown words are "unknown", not green. */
export function healthClass(word) {
    return ['Optimal', 'Degraded', 'Queueing', 'Failed', 'Lost', 'Starting'].includes(word) ? word.toLowerCase() : 'unknown';
}

/** ISO instant -> local "HH:MM:SS" ("" stays ""). */
export function clock(iso) {
    if (!iso) return '';
    const d = iso instanceof Date ? iso : new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false});
}

/** Microseconds as ms with sensible precision. */
export function latency(us) {
    if (!us) return '–';
    return us >= 10000 ? `${Math.round(us / 1000)} ms` : `${(us / 1000).toFixed(2)} ms`;
}

/** "127.0.0.1:3260,1" -> "127.0.0.1:3260" (the portal an admin types, as relogin takes it). */
export function portalAddress(portal) {
    return (portal || '').replace(/,\d+$/, '');
}

/** The path's state in plain words, keeping the operator's fail apart from a failure the checker saw. */
export function pathState(p) {
    if (p.adminFailed) return 'disabled by admin';
    if (p.dmState === 'active') return p.carryingIo ? 'active (I/O)' : 'active';
    if (p.dmState === 'failed') return 'failed';
    return p.dmState || 'undef';
}

/** All paths of a map in table order. */
export function pathsOf(map) {
    return (map.groups || []).flatMap(g => g.paths || []);
}

/** The confirmation for failing path {@code p} of {@code map}: which paths take its I/O afterwards. */
export function confirmFail(map, p) {
    const where = `${p.dev} (${portalAddress(p.portal)}, group ${p.group})`;
    const others = pathsOf(map).filter(q => q.dev !== p.dev && q.dmState === 'active');
    const sameGroup = others.filter(q => q.group === p.group);
    let then;
    if (p.dmState !== 'active') then = 'It carries no I/O now; the checker will no longer reinstate it when it comes back.';
    else if (sameGroup.length === 1) then = `I/O moves to the other active path of group ${p.group} (${sameGroup[0].dev}).`;
    else if (sameGroup.length > 1) then = `I/O moves to the ${sameGroup.length} other active paths of group ${p.group} (${sameGroup.map(q => q.dev).join(', ')}).`;
    else if (others.length) then = `Group ${p.group} has no other active path: I/O switches to group ${others[0].group} (${others.map(q => q.dev).join(', ')}).`;
    else then = `This is the last active path of ${map.name}: I/O ${map.queueing === 'off' || map.noPathRetry === 'fail' ? 'fails' : 'queues (no_path_retry ' + map.noPathRetry + ')'} until a path is back.`;
    return `Fail path ${where}? ${then} It stays failed until you reinstate it.`;
}

export function confirmReinstate(map, p) {
    return `Reinstate path ${p.dev} (${portalAddress(p.portal)}, group ${p.group})? The checker watches it again; once it reports the path up, group ${p.group} may use it for I/O.`;
}

export function confirmGroup(map, g, action) {
    const devs = (g.paths || []).map(p => p.dev).join(', ') || 'no paths';
    if (action === 'switch')
        return `Switch ${map.name} to group ${g.number} (${devs})? New I/O goes to group ${g.number}; failback ${map.failback} may move it back later.`;
    if (action === 'disable')
        return `Disable group ${g.number} of ${map.name} (${devs})? The kernel bypasses it: its paths are used only when no other group has a usable path.`;
    return `Enable group ${g.number} of ${map.name} (${devs})? It is no longer bypassed and is chosen again by priority.`;
}

export function confirmQueueing(map, on) {
    if (!on) {
        const q = map.counters ? map.counters.queued : 0;
        return `Fail queued I/O of ${map.name} now? ${q} queued request${q === 1 ? '' : 's'} fail${q === 1 ? 's' : ''} with an I/O error at once, and while no path is left new I/O fails instead of waiting, until you turn queueing on again.`;
    }
    return `Turn queueing on again for ${map.name}? When no path is left, I/O waits as no_path_retry (${map.noPathRetry}) says instead of failing.`;
}

export function confirmRelogin(portal) {
    return `Retry login to ${portal} now? Every session to this portal tries to log in at once instead of waiting for its next back-off; paths come back once the checker sees them up.`;
}
