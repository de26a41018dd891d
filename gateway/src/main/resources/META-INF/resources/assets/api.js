// The REST API (/api/v1) with the page's cookie session. Errors come back as {"error": "..."}: thrown as ApiError
// with that text, so the page can show the gateway's own words.

export class ApiError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

/** Sends the browser to the login page (the session expired or was never there). */
export function toLogin() {
    window.location.assign('/login.html');
}

async function call(method, path, accept) {
    let res;
    try {
        // X-Requested-With: the gateway then answers a lost session with a bare 401, not a Basic challenge the
        // browser would turn into its own password prompt.
        res = await fetch(path, {method, credentials: 'same-origin', redirect: 'manual',
            headers: {Accept: accept, 'X-Requested-With': 'XMLHttpRequest'}});
    } catch (e) {
        throw new ApiError(0, `gateway unreachable (${e.message})`);
    }
    if (res.status === 401 || res.type === 'opaqueredirect') {
        toLogin();
        throw new ApiError(401, 'not logged in');
    }
    const text = await res.text();
    if (!res.ok) {
        let msg = `${res.status} ${res.statusText}`;
        try {
            const body = JSON.parse(text);
            if (body && body.error) msg = body.error;
        } catch { /* not JSON: keep the status line */ }
        throw new ApiError(res.status, msg);
    }
    return accept === 'application/json' ? JSON.parse(text) : text;
}

export const getJson = path => call('GET', path, 'application/json');
export const getText = path => call('GET', path, 'text/plain');
export const post = path => call('POST', path, 'application/json');

const enc = encodeURIComponent;
export const api = {
    maps: () => getJson('/api/v1/maps'),
    sessions: () => getJson('/api/v1/sessions'),
    events: (after, limit) => getJson(`/api/v1/events?after=${after}&limit=${limit}`),
    failPath: dev => post(`/api/v1/paths/${enc(dev)}/fail`),
    reinstatePath: dev => post(`/api/v1/paths/${enc(dev)}/reinstate`),
    group: (map, n, action) => post(`/api/v1/maps/${enc(map)}/groups/${n}/${action}`),
    queueing: (map, on) => post(`/api/v1/maps/${enc(map)}/queueing/${on ? 'restore' : 'disable'}`),
    relogin: portal => post(`/api/v1/sessions/relogin?portal=${enc(portal)}`),
};
