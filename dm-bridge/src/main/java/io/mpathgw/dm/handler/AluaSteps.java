package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ParameterList;
import io.mpathgw.scsi.ScsiDataException;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.dm.handler.AluaPortGroup.ANO;
import static io.mpathgw.dm.handler.AluaPortGroup.AO;
import static io.mpathgw.dm.handler.AluaPortGroup.OFFLINE;
import static io.mpathgw.dm.handler.AluaPortGroup.STANDBY;
import static io.mpathgw.dm.handler.AluaPortGroup.TRANSITIONING;
import static io.mpathgw.dm.handler.AluaPortGroup.UNAVAILABLE;

/**
 * The three commands of an ALUA worker run and what their answers mean (spec §6.1): alua_tur, alua_rtpg, alua_stpg.
 * Each completes with a SCSI_DH code and updates its {@link AluaPortGroup} under the group's monitor.
 */
final class AluaSteps {

    /** ALUA_RTPG_SIZE: the first allocation length; a longer answer is asked for again with its own length. */
    static final int RTPG_SIZE = 128;
    /** The SET TARGET PORT GROUPS parameter list: one descriptor, 8 bytes. */
    static final int STPG_SIZE = 8;

    private final AluaPortGroup g;

    AluaSteps(AluaPortGroup g) {
        this.g = g;
    }

    /** alua_tur: RETRY while the LU reports the transition (NOT READY or UNIT ATTENTION 04/0A), IO on error. */
    CompletableFuture<Integer> tur(AluaPath path) {
        return path.exchange.none(Cdb.testUnitReady(), RetryRule.NONE).thenApply(r -> {
            if (r.senseValid() && r.sense().asc() == 0x04 && r.sense().ascq() == 0x0A
                    && (r.key(Sense.NOT_READY) || r.key(Sense.UNIT_ATTENTION))) return ScsiDh.RETRY;
            return r.good() ? ScsiDh.OK : ScsiDh.IO;
        });
    }

    /** alua_rtpg: reads every group's state; the result is this group's (spec §6.1 "Outcome after a parsed…"). */
    CompletableFuture<Integer> rtpg(AluaPath path) {
        Snapshot old;
        synchronized (g) {
            old = new Snapshot(g.state, g.pref, g.validStates);
            g.ensureExpiry();
        }
        return rtpg(path, RTPG_SIZE, old);
    }

    private record Snapshot(int state, boolean pref, int validStates) {
    }

    private CompletableFuture<Integer> rtpg(AluaPath path, int bufLen, Snapshot old) {
        boolean ext;
        synchronized (g) {
            ext = !g.extHdrUnsupported;
        }
        return path.exchange.read(Cdb.reportTargetPortGroups(ext, bufLen), bufLen, RetryRule.NONE).thenCompose(r -> {
            if (!r.good()) return rtpgFailed(path, r, bufLen, old);
            long len = r.data().length >= 4 ? TargetPortGroups.requiredLength(Unpooled.wrappedBuffer(r.data())) : 4;
            if (len > bufLen) return rtpg(path, (int) Math.min(len, Integer.MAX_VALUE), old);   // re-issue, longer
            return CompletableFuture.completedFuture(parsed(path, Arrays.copyOf(r.data(), (int) len), old));
        });
    }

    private CompletableFuture<Integer> rtpgFailed(AluaPath path, ScsiResult r, int bufLen, Snapshot old) {
        synchronized (g) {
            // only A/O supported: nothing to switch to, so a (broken) array's error during e.g. a firmware update
            // must not fail the path
            if ((g.validStates & ~AluaState.ACTIVE_OPTIMIZED.supportBit()) == 0) {
                log(path, "ignoring rtpg result " + r);
                return done(ScsiDh.OK);
            }
        }
        if (!r.senseValid()) {
            log(path, "rtpg failed, result " + r);
            return done(r.noConnect() ? ScsiDh.RES_TEMP_UNAVAIL : ScsiDh.IO);
        }
        boolean withoutExtHdr = false;
        synchronized (g) {
            // the array refuses the extended header (some with ASC 00h): remember, ask again without it
            if (!g.extHdrUnsupported && r.key(Sense.ILLEGAL_REQUEST)) {
                g.extHdrUnsupported = true;
                withoutExtHdr = true;
            }
        }
        if (withoutExtHdr) return rtpg(path, bufLen, old);
        if (r.is(Sense.NOT_READY_TRANSITIONING)) return done(evaluate(path, old, true));  // no data while in transition
        synchronized (g) {
            if (r.key(Sense.UNIT_ATTENTION) && g.expirySet && g.ctx.scheduler().nanoTime() - g.expiry < 0) {
                log(path, "rtpg retry " + r.sense());
                return done(ScsiDh.RETRY);
            }
            g.expirySet = false;
        }
        log(path, "rtpg failed " + r.sense());
        return done(ScsiDh.IO);
    }

    /** A whole RTPG answer: the transition timeout, then the state of every group it names that we know. */
    private int parsed(AluaPath path, byte[] data, Snapshot old) {
        TargetPortGroups tpg;
        try {
            tpg = TargetPortGroups.parse(data);
        } catch (ScsiDataException e) {
            log(path, "rtpg failed, " + e.getMessage());
            synchronized (g) {
                g.expirySet = false;
            }
            return ScsiDh.IO;
        }
        int tmo = tpg.extendedHeader() && tpg.implicitTransitionTime() != 0 ? tpg.implicitTransitionTime()
                : (int) g.ctx.settings().aluaFailoverTimeout().toSeconds();
        synchronized (g) {
            if (g.transitionTmo != tmo) {
                g.transitionTmo = tmo;
                log(path, "transition timeout set to " + tmo + " seconds");
                g.expiry = g.ctx.scheduler().nanoTime() + tmo * 1_000_000_000L;
                g.expirySet = true;
            }
        }
        for (TargetPortGroups.PortGroup d : tpg.groups()) update(d);
        return evaluate(path, old, false);
    }

    /** Every known group named in the answer takes its state, unless its own worker is running; ours always. */
    private void update(TargetPortGroups.PortGroup d) {
        AluaPortGroup other = d.id() == g.groupId ? g : g.ctx.aluaGroups.find(g.lunId, d.id());
        if (other == null) return;
        synchronized (other) {
            if (other == g || !other.running) {
                other.state = d.stateCode();
                other.pref = d.preferred();
            }
            if (other == g) g.validStates = d.supportedStates();
        }
    }

    /** skip_rtpg: the group's state decides the result. */
    private int evaluate(AluaPath path, Snapshot old, boolean transitioningSense) {
        synchronized (g) {
            if (transitioningSense) g.state = TRANSITIONING;
            if (old.state != g.state || old.pref != g.pref || old.validStates != g.validStates)
                log(path, "port group " + AluaPortGroup.hex(g.groupId) + " state " + letter(g.state) + " "
                        + (g.pref ? "preferred" : "non-preferred") + " supports " + supportLetters(g.validStates));
            if (g.state == TRANSITIONING) {
                if (g.ctx.scheduler().nanoTime() - g.expiry < 0) {
                    g.intervalMs = g.ctx.settings().aluaRetryDelay().toMillis();
                    return ScsiDh.RETRY;
                }
                g.state = STANDBY;              // transitioning too long: the port is standby for us now
                g.expirySet = false;
                return ScsiDh.IO;
            }
            g.expirySet = false;
            return g.state == OFFLINE ? ScsiDh.DEV_OFFLINED : ScsiDh.OK;
        }
    }

    /** alua_stpg: whether to ask for active/optimized, and then re-read the state whatever the answer. */
    CompletableFuture<Integer> stpg(AluaPath path) {
        int state;
        synchronized (g) {
            if ((g.tpgs & AluaPortGroup.TPGS_EXPLICIT) == 0) return done(ScsiDh.RETRY);  // implicit only: re-read
            state = g.state;
            if (state == AO) return done(ScsiDh.OK);
            if (state == ANO && g.optimizeStpg && !g.pref && (g.tpgs & AluaPortGroup.TPGS_IMPLICIT) != 0)
                return done(ScsiDh.OK);
        }
        if (state == OFFLINE) return done(ScsiDh.IO);
        if (state != ANO && state != STANDBY && state != UNAVAILABLE && state != TRANSITIONING) {
            log(path, "stpg failed, unhandled TPGS state " + state);
            return done(ScsiDh.NOSYS);
        }
        byte[] list = ParameterList.stpg(g.groupId, AluaState.ACTIVE_OPTIMIZED);
        return path.exchange.write(Cdb.setTargetPortGroups(list.length), list, RetryRule.NONE).thenApply(r -> {
            if (!r.good()) log(path, r.senseValid() ? "stpg failed " + r.sense() : "stpg failed, result " + r);
            return ScsiDh.RETRY;
        });
    }

    private void log(AluaPath path, String text) {
        g.ctx.log(path.name, "alua", text);
    }

    private static CompletableFuture<Integer> done(int code) {
        return CompletableFuture.completedFuture(code);
    }

    /** print_alua_state: A N S U L O T, X for a reserved code. */
    static char letter(int state) {
        return AluaState.of(state).map(AluaState::letter).orElse('X');
    }

    /** TOLUSNA, upper case where supported. */
    static String supportLetters(int validStates) {
        StringBuilder b = new StringBuilder(7);
        for (AluaState s : new AluaState[]{AluaState.TRANSITIONING, AluaState.OFFLINE, AluaState.LBA_DEPENDENT,
                AluaState.UNAVAILABLE, AluaState.STANDBY, AluaState.ACTIVE_NON_OPTIMIZED, AluaState.ACTIVE_OPTIMIZED})
            b.append((validStates & s.supportBit()) != 0 ? s.letter() : Character.toLowerCase(s.letter()));
        return b.toString();
    }
}
