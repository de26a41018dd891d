package io.mpathgw.gateway.failover;

import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@link StampStream}'s region back through a fresh iSCSI session straight to the array (no gateway, no
 * multipath) and checks every block against the stream's ledger: a block holds its own stamp and pattern, and a
 * generation at least the last one acknowledged for it (older: the acknowledged write was lost or overwritten by a
 * stale one). A block never acknowledged may hold zeroes or a write that was sent and not answered.
 */
final class StampCheck {

    private StampCheck() {
    }

    /** What the read-back found; {@code problems} lists the first few bad blocks. */
    record Result(int blocksChecked, int blocksWithAckedData, int newerThanAcked, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return blocksChecked + " blocks read back through a fresh session, " + blocksWithAckedData
                    + " with an acknowledged write, " + newerThanAcked + " holding a later unacknowledged one, "
                    + (problems.isEmpty() ? "no problem" : problems.size() + " problems: " + problems);
        }
    }

    static Result check(StampStream stream, InetSocketAddress portal, String target, EventLoopGroup group)
            throws Exception {
        Session s = Session.open(InitiatorConfig.builder(portal, target)
                .initiatorName("iqn.2026-11.io.mpathgw.test:stamp-check").build(), group);
        try {
            s.awaitLoggedIn(Duration.ofSeconds(10));
            ReadCapacity rc = MultipathBlockDevice.readCapacity(s.lun(0)).get(10, TimeUnit.SECONDS);
            int bs = (int) rc.blockLength();
            int perRead = 256;                                              // 1 MiB
            List<String> problems = new ArrayList<>();
            int withAcked = 0, newer = 0;
            for (int first = 0; first < stream.blocks; first += perRead) {
                int n = Math.min(perRead, stream.blocks - first);
                long lba = (long) first * StampStream.BLOCK / bs;
                int len = n * StampStream.BLOCK;
                ScsiResponse r = s.lun(0).submit(ScsiCommand.read(Cdb.read16(lba, len / bs), len))
                        .get(10, TimeUnit.SECONDS);
                byte[] data;
                try {
                    if (!r.isGood())
                        throw new AssertionError("read-back at LBA " + lba + " through " + portal + ": " + r);
                    data = ByteBufUtil.getBytes(r.data());
                } finally {
                    r.release();
                }
                for (int i = 0; i < n; i++) {
                    int block = first + i;
                    byte[] got = Arrays.copyOfRange(data, i * StampStream.BLOCK, (i + 1) * StampStream.BLOCK);
                    long acked = stream.acked.get(block);
                    if (acked > 0) withAcked++;
                    String bad = verify(stream.log, block, got, acked);
                    if (bad == null && acked > 0 && ByteBuffer.wrap(got).getLong(8) > acked) newer++;
                    if (bad != null && problems.size() < 20) problems.add(bad);
                }
            }
            return new Result(stream.blocks, withAcked, newer, problems);
        } finally {
            s.logout().get(5, TimeUnit.SECONDS);
            s.close();
        }
    }

    /** Null when {@code got} is acceptable for {@code block}, else why not. */
    static String verify(OpLog log, int block, byte[] got, long acked) {
        ByteBuffer b = ByteBuffer.wrap(got);
        long stampBlock = b.getLong(0), gen = b.getLong(8);
        if (stampBlock == 0 && gen == 0 && isZero(got))
            return acked == 0 ? null : "block " + block + ": zeroes, but generation " + acked + " was acknowledged";
        if (stampBlock != block) return "block " + block + ": holds block " + stampBlock + "'s data (gen " + gen + ")";
        if (gen <= 0 || gen > log.last() || log.block(gen) != block)
            return "block " + block + ": generation " + gen + " was never sent to it";
        if (!Arrays.equals(got, StampStream.stamp(block, gen)))
            return "block " + block + ": generation " + gen + " torn or corrupted";
        if (gen < acked)
            return "block " + block + ": holds generation " + gen + " but " + acked + " was acknowledged later"
                    + " (lost or stale write)";
        return null;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
