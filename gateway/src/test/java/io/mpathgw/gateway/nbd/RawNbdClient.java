package io.mpathgw.gateway.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written blocking NBD client for the protocol tests: it sends exactly the bytes a test asks for, including
 * wrong ones, and decodes what comes back without trusting it.
 */
final class RawNbdClient implements AutoCloseable {

    /** One option reply: its option, type and data. */
    record OptionReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /**
     * One transmission reply: simple (type -1) or one structured chunk. For an error chunk {@code error} and
     * {@code message} are set; for OFFSET_DATA {@code offset} and {@code data}.
     */
    record Reply(boolean structured, int flags, int type, long handle, int error, String message, long offset,
                 byte[] data) {
        boolean done() {
            return !structured || (flags & Nbd.NBD_REPLY_FLAG_DONE) != 0;
        }
    }

    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    int handshakeFlags;
    boolean structured;

    RawNbdClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Reads the greeting and answers with {@code clientFlags}. */
    RawNbdClient greet(int clientFlags) throws IOException {
        long magic = in.readLong();
        long opt = in.readLong();
        if (magic != Nbd.NBDMAGIC || opt != Nbd.IHAVEOPT)
            throw new IOException(String.format("greeting %016x %016x", magic, opt));
        handshakeFlags = in.readUnsignedShort();
        out.writeInt(clientFlags);
        out.flush();
        return this;
    }

    RawNbdClient greet() throws IOException {
        return greet(Nbd.NBD_FLAG_C_FIXED_NEWSTYLE | Nbd.NBD_FLAG_C_NO_ZEROES);
    }

    void sendOption(long magic, int option, byte[] data) throws IOException {
        out.writeLong(magic);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    /** Sends an option and reads replies up to the final one (ACK or an error). */
    List<OptionReply> option(int option, byte[] data) throws IOException {
        sendOption(Nbd.IHAVEOPT, option, data);
        List<OptionReply> replies = new ArrayList<>();
        while (true) {
            OptionReply r = readOptionReply();
            replies.add(r);
            if (r.type() == Nbd.NBD_REP_ACK || r.type() < 0) return replies;
        }
    }

    OptionReply readOptionReply() throws IOException {
        long magic = in.readLong();
        if (magic != Nbd.REPLY_MAGIC) throw new IOException(String.format("option reply magic %016x", magic));
        int option = in.readInt();
        int type = in.readInt();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new OptionReply(option, type, data);
    }

    /** INFO/GO data: name, then the info requests. */
    static byte[] infoRequest(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length);
        b.putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) b.putShort((short) i);
        return b.array();
    }

    /** META_CONTEXT data: export name, then the queries. */
    static byte[] metaRequest(String name, String... queries) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = 4 + n.length + 4;
        for (String q : queries) len += 4 + q.getBytes(StandardCharsets.UTF_8).length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(n.length).put(n).putInt(queries.length);
        for (String q : queries) {
            byte[] qb = q.getBytes(StandardCharsets.UTF_8);
            b.putInt(qb.length).put(qb);
        }
        return b.array();
    }

    /** Structured replies, then GO to {@code name}; fails unless the server says ACK. */
    RawNbdClient go(String name, boolean structuredReplies) throws IOException {
        if (structuredReplies) {
            expectAck(option(Nbd.NBD_OPT_STRUCTURED_REPLY, new byte[0]));
            structured = true;
        }
        expectAck(option(Nbd.NBD_OPT_GO, infoRequest(name, Nbd.NBD_INFO_BLOCK_SIZE)));
        return this;
    }

    static void expectAck(List<OptionReply> replies) throws IOException {
        OptionReply last = replies.get(replies.size() - 1);
        if (last.type() != Nbd.NBD_REP_ACK)
            throw new IOException("option " + last.option() + ": reply " + Integer.toHexString(last.type()) + " "
                    + last.text());
    }

    void request(int flags, int type, long handle, long offset, long length, byte[] payload) throws IOException {
        out.writeInt(Nbd.NBD_REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(handle);
        out.writeLong(offset);
        out.writeInt((int) length);
        if (payload != null) out.write(payload);
        out.flush();
    }

    /**
     * The next reply; for a simple reply to a read the caller says how much data follows ({@code readLength},
     * only read when the error is 0).
     */
    Reply reply(int readLength) throws IOException {
        int magic = in.readInt();
        if (magic == Nbd.NBD_SIMPLE_REPLY_MAGIC) {
            int error = in.readInt();
            long handle = in.readLong();
            byte[] data = new byte[error == 0 ? readLength : 0];
            in.readFully(data);
            return new Reply(false, 0, -1, handle, error, null, 0, data);
        }
        if (magic != Nbd.NBD_STRUCTURED_REPLY_MAGIC) throw new IOException(String.format("reply magic %08x", magic));
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long handle = in.readLong();
        int length = in.readInt();
        byte[] payload = new byte[length];
        in.readFully(payload);
        ByteBuffer p = ByteBuffer.wrap(payload);
        if ((type & 0x8000) != 0) {
            int error = p.getInt();
            byte[] m = new byte[p.getShort() & 0xffff];
            p.get(m);
            return new Reply(true, flags, type, handle, error, new String(m, StandardCharsets.UTF_8), 0, payload);
        }
        if (type == Nbd.NBD_REPLY_TYPE_OFFSET_DATA) {
            long offset = p.getLong();
            byte[] data = new byte[length - 8];
            p.get(data);
            return new Reply(true, flags, type, handle, 0, null, offset, data);
        }
        return new Reply(true, flags, type, handle, 0, null, 0, payload);
    }

    /** True once the server closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        InputStream s = socket.getInputStream();
        try {
            while (true) if (s.read() < 0) return true;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
