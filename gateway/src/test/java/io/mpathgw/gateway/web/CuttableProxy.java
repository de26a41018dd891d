package io.mpathgw.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 in front of the gateway, so a test can make the gateway unreachable for the browser
 * (every open connection reset, new ones refused) and reachable again on the same port, which the page's cookie
 * session survives. One thread per direction: the browser opens a handful of connections.
 */
final class CuttableProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    CuttableProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptLoop(server);
    }

    int port() {
        return port;
    }

    /** Resets every connection and stops listening: the browser sees the gateway go away. */
    synchronized void cut() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);     // a reset, as when the gateway's host goes away
            } catch (IOException e) {
                // a pump closed it meanwhile
            }
            close(s);
        }
        sockets.clear();
    }

    /** Listens again on the same port. */
    synchronized void restore() throws IOException {
        if (!server.isClosed()) return;
        server = listen(port);
        acceptLoop(server);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void acceptLoop(ServerSocket listener) {
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket in = listener.accept();
                    Socket out = new Socket(target.getAddress(), target.getPort());
                    sockets.add(in);
                    sockets.add(out);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed by cut() or a failed connect: the browser sees a reset either way
                }
            }
        }, "proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
