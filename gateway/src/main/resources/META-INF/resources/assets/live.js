// The live view: GET /api/v1/stream (server-sent events "maps" and "event"). When the stream drops, the page is told
// at once (onStale with the time of the last good data) and the stream is opened again with back-off; the native
// EventSource retry is not used because it gives up for good on any non-200 answer (e.g. an expired session).

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];
const SILENT_MS = 7000;
const PROBE_MS = 5000;

export class LiveStream {
    /**
     * @param handlers {onMaps(maps), onEvent(event), onStale(since: Date), onLive(), onAuthLost()}
     */
    constructor(url, handlers) {
        this.url = url;
        this.h = handlers;
        this.attempt = 0;
        this.lastData = new Date();
        this.stale = false;
        this.source = null;
        this.timer = null;
    }

    start() {
        this.open();
        // The gateway sends the maps at least every 2 s: a stream that stays silent much longer is dead (a hung
        // proxy or a paused server) even if the socket looks open.
        setInterval(() => {
            if (this.source && Date.now() - this.lastData.getTime() > SILENT_MS) this.source.onerror();
        }, 1000);
    }

    open() {
        clearTimeout(this.timer);
        const es = new EventSource(this.url, {withCredentials: true});
        this.source = es;
        es.addEventListener('maps', e => {
            this.attempt = 0;
            this.lastData = new Date();
            if (this.stale) {
                this.stale = false;
                this.h.onLive();
            }
            this.h.onMaps(JSON.parse(e.data));
        });
        es.addEventListener('event', e => this.h.onEvent(JSON.parse(e.data)));
        es.onerror = () => {
            es.close();
            if (this.source !== es) return;
            this.source = null;
            if (!this.stale) {
                this.stale = true;
                this.h.onStale(this.lastData);
            }
            this.retry();
        };
    }

    async retry() {
        const wait = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
        this.attempt++;
        this.timer = setTimeout(async () => {
            // An expired session answers 401 here; the gateway being down throws. Only the first means "log in".
            try {
                const res = await fetch('/api/v1/health', {credentials: 'same-origin', redirect: 'manual',
                    headers: {Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
                    signal: AbortSignal.timeout(PROBE_MS)});
                if (res.status === 401 || res.type === 'opaqueredirect') {
                    this.h.onAuthLost();
                    return;
                }
            } catch { /* still down: open() fails again and backs off */ }
            this.open();
        }, wait);
    }
}
