package io.mpathgw.gateway.nbd;

import io.mpathgw.dm.engine.EventLoopMapThread;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.netty.channel.EventLoopGroup;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For scripts/bench-nbd.sh, not a test: logs into one iSCSI LUN through each {@code --portal} given (one session,
 * one path each), builds a map over them ({@code round-robin}, one priority group: multibus), exports it over NBD
 * and prints {@code NBD_URI=nbd://…/bench}; runs until its standard input closes. The NBD server shares the
 * sessions' event loops (as the daemon should): on 2 CPUs that took 128 KiB reads from 0.58x to about 1.0x of
 * iscsi-perf direct, since a connection and the map's session often share a thread; now every connection runs on
 * the map's thread, the first session's loop (4 KiB random reads 0.65x -> 0.85x).
 *
 * <pre>java -cp … io.mpathgw.gateway.nbd.NbdBenchServer --iqn IQN --lun 1 --portal 127.0.0.1:3260 [--portal …]
 * java -cp … io.mpathgw.gateway.nbd.NbdBenchServer --memory-mib 512</pre>
 * With {@code --memory-mib} it exports a device in memory instead: the export's own cost.
 */
public final class NbdBenchServer {

    private NbdBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        List<InetSocketAddress> portals = new ArrayList<>();
        String iqn = null;
        int lun = 1;
        String listen = "127.0.0.1:0";
        long memoryMib = 0;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) usage("missing value for " + args[i]);
            switch (args[i]) {
                case "--portal" -> portals.add((InetSocketAddress) NbdServer.parseListen(v));
                case "--iqn" -> iqn = v;
                case "--lun" -> lun = Integer.parseInt(v);
                case "--listen" -> listen = v;
                case "--memory-mib" -> memoryMib = Long.parseLong(v);
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (memoryMib > 0) {
            serveMemory(memoryMib, listen);
            return;
        }
        if (iqn == null || portals.isEmpty()) usage("--iqn and at least one --portal are required, or --memory-mib");
        EventLoopGroup loops = EventLoops.create(2);
        List<Session> sessions = new ArrayList<>();
        StringBuilder table = new StringBuilder("0 0 1 1 round-robin 0 " + portals.size() + " 1");
        for (int i = 0; i < portals.size(); i++) {
            Session s = Session.open(InitiatorConfig.builder(portals.get(i), iqn).build(), loops);
            sessions.add(s.awaitLoggedIn(Duration.ofSeconds(10)));
            s.lun(lun).submit(ScsiCommand.none(Cdb.testUnitReady())).get(10, TimeUnit.SECONDS).release();
            table.append(" p").append(i).append(" 1");
        }
        EventLoopMapThread thread = new EventLoopMapThread(sessions.get(0).eventLoop());
        ScsiPathIo io = new ScsiPathIo(thread);
        for (int i = 0; i < sessions.size(); i++) io.bind("p" + i, sessions.get(i).lun(lun));
        ReadCapacity rc = MultipathBlockDevice.readCapacity(sessions.get(0).lun(lun)).get(10, TimeUnit.SECONDS);
        MultipathDevice map = MultipathDevice.builder("bench", rc.sizeBytes() / 512,
                MultipathTable.parse(table.toString())).thread(thread).pathIo(io).log(l -> { }).build();
        MultipathBlockDevice dev = MultipathBlockDevice.builder(map).capacity(rc).build();
        // every NBD connection on the map's thread (the first session's loop): no hop per request and completion
        try (NbdServer server = NbdServer.builder().listen(listen).eventLoops(sessions.get(0).eventLoop()).start()) {
            server.addExport("bench", "bench map: " + table, dev);
            System.out.println("NBD_URI=nbd://127.0.0.1:" + server.port() + "/bench");
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // until the script closes our stdin
            }
        } finally {
            for (Session s : sessions) s.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** The export alone, over a device in memory: what the NBD side costs without iSCSI behind it. */
    private static void serveMemory(long mib, String listen) throws Exception {
        try (io.mpathgw.scsi.MemoryBlockDevice memory = new io.mpathgw.scsi.MemoryBlockDevice(512, mib << 11);
             NbdServer server = NbdServer.builder().listen(listen).start()) {
            server.addExport("bench", "memory, " + mib + " MiB", memory);
            System.out.println("NBD_URI=nbd://127.0.0.1:" + server.port() + "/bench");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the script closes our stdin
            }
        }
    }

    private static void usage(String why) {
        System.err.println("NbdBenchServer: " + why + "\nusage: NbdBenchServer --iqn IQN [--lun N] --portal HOST:PORT"
                + " [--portal HOST:PORT…] [--listen HOST:PORT]");
        System.exit(2);
    }
}
