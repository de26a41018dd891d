package io.mpathgw.iscsi.target;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The target's sessions by TSIH and by session identity (RFC 7143 §4.4.3: initiator name, ISID, target and
 * portal group), for TSIH allocation and session reinstatement. Touched at login and at session end only, from
 * any event loop: concurrent maps, no locks on the command path.
 */
final class SessionRegistry {

    /** The identity whose second login with TSIH 0 reinstates (replaces) the first (RFC 7143 §6.3.5). */
    record SessionKey(String initiatorName, long isid, String targetName, int portalGroupTag) {
    }

    private final Map<Integer, TargetSession> byTsih = new ConcurrentHashMap<>();
    private final Map<SessionKey, TargetSession> byKey = new ConcurrentHashMap<>();
    private int nextTsih = 1;

    /**
     * Gives {@code s} a free TSIH, 1..65535 (0 is reserved for a new session's login, RFC 7143 §11.12.6),
     * registers it, and returns the session it reinstates (same identity), which the caller drops; else null.
     */
    synchronized TargetSession register(TargetSession s) {
        s.tsih(allocateTsih());
        byTsih.put(s.tsih(), s);
        TargetSession old = byKey.put(s.key(), s);
        if (old != null) byTsih.remove(old.tsih(), old);
        return old;
    }

    private int allocateTsih() {
        for (int i = 0; i < 65535; i++) {
            int t = nextTsih;
            nextTsih = nextTsih == 65535 ? 1 : nextTsih + 1;
            if (!byTsih.containsKey(t)) return t;
        }
        throw new IllegalStateException("TSIH: all 65535 in use");
    }

    synchronized void remove(TargetSession s) {
        byTsih.remove(s.tsih(), s);
        byKey.remove(s.key(), s);
    }

    TargetSession byTsih(int tsih) {
        return byTsih.get(tsih);
    }

    List<TargetSession> all() {
        return List.copyOf(byTsih.values());
    }
}
