package io.mpathgw.iscsi.tgt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the targets of a {@link Tgt} into tgtadm calls against a freshly started tgtd (all state lives in tgtd's
 * memory, so a restarted tgtd is configured again from scratch):
 * <pre>
 * tgtadm -C N --lld iscsi --op new    --mode target      --tid 1 -T IQN
 * tgtadm -C N --lld iscsi --op new    --mode logicalunit --tid 1 --lun 1 -b /dev/shm/FILE --bstype rdwr
 * tgtadm -C N --lld iscsi --op update --mode logicalunit --tid 1 --lun 1 --params scsi_id=ID,scsi_sn=SN
 * tgtadm -C N --lld iscsi --op bind   --mode target      --tid 1 -I ALL
 * tgtadm -C N --lld iscsi --op new    --mode account     --user U --password P      (once per user)
 * tgtadm -C N --lld iscsi --op bind   --mode account     --tid 1 --user U [--outgoing]
 * tgtadm -C N --lld iscsi --op update --mode target      --tid 1 --name HeaderDigest --value CRC32C
 * </pre>
 */
final class TgtConfigurator {

    private final Tgtadm tgtadm;
    private final List<TgtTarget> targets;
    private final Map<String, Path> backing;
    private final Tgt tgt;

    TgtConfigurator(Tgtadm tgtadm, List<TgtTarget> targets, Map<String, Path> backing, Tgt tgt) {
        this.tgtadm = tgtadm;
        this.targets = targets;
        this.backing = backing;
        this.tgt = tgt;
    }

    /** CHAP accounts are global to one tgtd: a user named twice must have one secret. */
    static void checkAccounts(List<TgtTarget> targets) {
        Map<String, String> secrets = new HashMap<>();
        for (TgtTarget t : targets) {
            check(secrets, t.chapUser, t.chapSecret);
            check(secrets, t.mutualUser, t.mutualSecret);
        }
    }

    void apply() throws IOException {
        Set<String> accounts = new HashSet<>();
        for (TgtTarget t : targets) {
            String tid = Integer.toString(tgt.tid(t.iqn));
            tgtadm.run("--op", "new", "--mode", "target", "--tid", tid, "-T", t.iqn);
            for (TgtTarget.LunSpec l : t.luns().values()) lun(t, tid, l);
            tgtadm.run("--op", "bind", "--mode", "target", "--tid", tid, "-I", "ALL");
            if (t.chapUser != null) account(accounts, tid, t.chapUser, t.chapSecret, false);
            if (t.mutualUser != null) account(accounts, tid, t.mutualUser, t.mutualSecret, true);
            for (Map.Entry<String, String> p : t.params.entrySet())
                tgtadm.run("--op", "update", "--mode", "target", "--tid", tid, "--name", p.getKey(), "--value", p.getValue());
        }
    }

    private void lun(TgtTarget t, String tid, TgtTarget.LunSpec l) throws IOException {
        String lun = Integer.toString(l.lun);
        Path file = backing.get(tid + "/" + lun);
        tgtadm.run("--op", "new", "--mode", "logicalunit", "--tid", tid, "--lun", lun, "-b", file.toString(),
                "--bstype", "rdwr");
        String params = "scsi_id=" + tgt.scsiId(t.iqn, l.lun) + ",scsi_sn=" + tgt.scsiSerial(t.iqn, l.lun);
        if (l.extraParams != null && !l.extraParams.isEmpty()) params += "," + l.extraParams;
        tgtadm.run("--op", "update", "--mode", "logicalunit", "--tid", tid, "--lun", lun, "--params", params);
    }

    private void account(Set<String> created, String tid, String user, String secret, boolean outgoing) throws IOException {
        if (created.add(user)) tgtadm.run("--op", "new", "--mode", "account", "--user", user, "--password", secret);
        if (outgoing) tgtadm.run("--op", "bind", "--mode", "account", "--tid", tid, "--user", user, "--outgoing");
        else tgtadm.run("--op", "bind", "--mode", "account", "--tid", tid, "--user", user);
    }

    private static void check(Map<String, String> secrets, String user, String secret) {
        if (user == null) return;
        String before = secrets.putIfAbsent(user, secret);
        if (before != null && !before.equals(secret))
            throw new IllegalArgumentException("CHAP user " + user + " given two secrets (tgt accounts are global to one tgtd)");
    }
}
