package io.mpathgw.gateway.check;

/**
 * State the checkers of one map share ({@code checker->mpcontext} in multipath-tools): today only emc_clariion's
 * "inactive snapshot" mark, set when the owning SP's read fails with 05/25/01 so that the passive paths, which would
 * answer 02/04/03 and look fine, are failed as well. One per map; give it to every path's checker of that map.
 */
public final class CheckerMapContext {

    private volatile boolean inactiveSnapshot;

    public boolean inactiveSnapshot() {
        return inactiveSnapshot;
    }

    void inactiveSnapshot(boolean on) {
        inactiveSnapshot = on;
    }
}
