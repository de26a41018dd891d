package io.mpathgw.dm.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on loopback in front of one portal, for tests: {@link #killConnections()} resets every relayed
 * connection at once (RST on both sides, buffered bytes dropped), as a cable pull or a switch failure would, while
 * the proxy keeps accepting new connections (the session logs in again through it).
 */
final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();      // guarded by this
    private volatile boolean closed;

    TcpProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket up = new Socket();
                client.setTcpNoDelay(true);         // as the initiator's own socket: no Nagle delay in the relay
                up.setTcpNoDelay(true);
                try {
                    up.connect(upstream, 2000);
                } catch (IOException e) {
                    reset(client);
                    continue;
                }
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(up);
                }
                pump(client, up);
                pump(up, client);
            } catch (IOException e) {
                if (!closed) throw new IllegalStateException("proxy accept failed", e);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
                to.shutdownOutput();
            } catch (IOException e) {
                reset(from);
                reset(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every relayed connection (both sides); new connections are still relayed. */
    synchronized int killConnections() {
        int n = sockets.size() / 2;
        sockets.forEach(TcpProxy::reset);
        sockets.clear();
        return n;
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);     // close() sends RST and drops whatever is buffered
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        killConnections();
    }
}
