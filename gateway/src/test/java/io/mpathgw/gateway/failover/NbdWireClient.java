package io.mpathgw.gateway.failover;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The wire side of a pipelined NBD client (NetworkBlockDevice doc/proto.md): fixed newstyle handshake with
 * NBD_OPT_EXPORT_NAME and NO_ZEROES, then simple replies only. One thread sends ({@link #write}), another receives
 * ({@link #reply}); nothing else is shared.
 */
final class NbdWireClient implements AutoCloseable {

    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454F5054L;
    static final int REQUEST_MAGIC = 0x25609513;
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int NBD_CMD_READ = 0, NBD_CMD_WRITE = 1, NBD_CMD_DISC = 2;

    /** A simple reply: its error (0 = none) and handle; data of a read follows on the stream. */
    record Reply(int error, long handle) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    final long exportSize;

    NbdWireClient(int port, String export) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        if (in.readLong() != NBDMAGIC || in.readLong() != IHAVEOPT)
            throw new IOException("nbd://127.0.0.1:" + port + ": not a newstyle NBD server");
        int flags = in.readUnsignedShort();
        if ((flags & 1) == 0) throw new IOException("server without NBD_FLAG_FIXED_NEWSTYLE: " + flags);
        boolean noZeroes = (flags & 2) != 0;
        out.writeInt(noZeroes ? 3 : 1);
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        out.writeLong(IHAVEOPT);
        out.writeInt(1);                                   // NBD_OPT_EXPORT_NAME
        out.writeInt(name.length);
        out.write(name);
        out.flush();
        exportSize = in.readLong();
        in.readUnsignedShort();                            // transmission flags
        if (!noZeroes) in.readFully(new byte[124]);
    }

    /** Sends one write of {@code data} at {@code offset}; flushed at once (the stream runs at QD-N, not batched). */
    void write(long handle, long offset, byte[] data) throws IOException {
        header(NBD_CMD_WRITE, handle, offset, data.length);
        out.write(data);
        out.flush();
    }

    void read(long handle, long offset, int length) throws IOException {
        header(NBD_CMD_READ, handle, offset, length);
        out.flush();
    }

    private void header(int type, long handle, long offset, int length) throws IOException {
        out.writeInt(REQUEST_MAGIC);
        out.writeShort(0);
        out.writeShort(type);
        out.writeLong(handle);
        out.writeLong(offset);
        out.writeInt(length);
    }

    /** The next reply header (blocks). */
    Reply reply() throws IOException {
        int magic = in.readInt();
        if (magic != SIMPLE_REPLY_MAGIC) throw new IOException(String.format("reply magic 0x%08x", magic));
        return new Reply(in.readInt(), in.readLong());
    }

    void readData(byte[] into) throws IOException {
        in.readFully(into);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
