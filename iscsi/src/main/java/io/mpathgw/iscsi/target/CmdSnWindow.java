package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.pdu.Pdu;
import io.netty.util.collection.IntObjectHashMap;

import static io.mpathgw.iscsi.pdu.SerialNumber.gt;
import static io.mpathgw.iscsi.pdu.SerialNumber.lt;

/**
 * The session's command window (RFC 7143 §3.2.2.1, §4.2.2.1): ExpCmdSN, MaxCmdSN, and the non-immediate requests
 * that arrived ahead of a gap, held until the gap fills. MaxCmdSN = ExpCmdSN - 1 + queue depth - commands still
 * running, so the window opens as commands complete and never moves backwards. Event loop only.
 */
final class CmdSnWindow {

    enum Verdict { NOW, LATER, DROP }

    private final int queueDepth;
    private final IntObjectHashMap<Pdu> held = new IntObjectHashMap<>();
    private final IntObjectHashMap<Boolean> abortedAhead = new IntObjectHashMap<>();
    private int expCmdSn;
    private int maxCmdSn;
    private int running;

    CmdSnWindow(int queueDepth) {
        this.queueDepth = queueDepth;
    }

    /** The CmdSN of the leading Login Request: the first non-immediate command carries it (§11.12.8). */
    void start(int initialCmdSn) {
        expCmdSn = initialCmdSn;
        maxCmdSn = initialCmdSn - 1 + queueDepth;
    }

    int expCmdSn() {
        return expCmdSn;
    }

    /** The MaxCmdSN to advertise now; never less than one advertised before (§4.2.2.1). */
    int maxCmdSn() {
        int max = expCmdSn - 1 + queueDepth - running;
        if (gt(max, maxCmdSn)) maxCmdSn = max;
        return maxCmdSn;
    }

    /**
     * Where a non-immediate request with {@code cmdSn} goes: NOW (it is ExpCmdSN, which advances), LATER (ahead of
     * a gap but inside the window: hold it), DROP (outside the window: silently ignored, §4.2.2.1, or aborted
     * before it arrived).
     */
    Verdict admit(int cmdSn) {
        if (lt(cmdSn, expCmdSn) || gt(cmdSn, maxCmdSn()) || held.containsKey(cmdSn)) return Verdict.DROP;
        if (cmdSn != expCmdSn) return Verdict.LATER;
        expCmdSn++;
        if (abortedAhead.remove(cmdSn) != null) return Verdict.DROP;
        return Verdict.NOW;
    }

    /** Keeps a request that came ahead of a gap; takes ownership of {@code pdu}. */
    void hold(int cmdSn, Pdu pdu) {
        held.put(cmdSn, pdu);
    }

    /** The held request whose turn has come (ExpCmdSN advances past it), or null; the caller owns it. */
    Pdu next() {
        while (true) {
            Pdu p = held.remove(expCmdSn);
            if (p == null) return null;
            expCmdSn++;
            if (abortedAhead.remove(expCmdSn - 1) == null) return p;
            p.release();
        }
    }

    /**
     * ABORT TASK for a command not received yet whose RefCmdSN lies in the window (RFC 7143 §11.5.1): it is
     * dropped when it arrives. Returns false if {@code cmdSn} is outside the window.
     */
    boolean abortAhead(int cmdSn) {
        if (lt(cmdSn, expCmdSn) || gt(cmdSn, maxCmdSn())) return false;
        abortedAhead.put(cmdSn, Boolean.TRUE);     // a held one stays held: its CmdSN is consumed in order
        return true;
    }

    /** A discarded PDU (digest error) whose CmdSN is ExpCmdSN: consume it so the window does not stall. */
    void skip(int cmdSn) {
        if (cmdSn == expCmdSn) expCmdSn++;
    }

    /** A non-immediate SCSI command started running: it holds one slot of the window until it ends. */
    void commandStarted() {
        running++;
    }

    /** A command ended (answered or aborted): its slot opens, MaxCmdSN moves on. */
    void commandEnded() {
        running--;
    }

    /** Releases what is still held (the connection closed). */
    void clear() {
        for (Pdu p : held.values()) p.release();
        held.clear();
        abortedAhead.clear();
    }
}
