package io.mpathgw.gateway.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fixed newstyle handshake of one connection (proto.md "Handshake"): the greeting, the client flags, then one
 * option at a time, each answered before the next is read. NBD_OPT_GO or NBD_OPT_EXPORT_NAME ends it: this handler
 * replaces itself with an {@link NbdRequestDecoder} in front of an {@link NbdTransmission}, and the bytes it has
 * not consumed go to the decoder. One per connection, on its event loop; never shared.
 *
 * <p>A bad option gets an error reply and the connection stays; only what the spec leaves no answer for closes it:
 * unknown client flags, a wrong option magic, an NBD_OPT_EXPORT_NAME for an unknown export, an option longer than
 * {@link #MAX_OPTION_LENGTH} (proto.md lets a server hard-disconnect a client it takes for a denial of service).
 */
final class NbdHandshake extends ByteToMessageDecoder {

    private static final Logger LOG = Logger.getLogger(NbdHandshake.class.getName());

    /** Longest option data accepted: a name and a query of 4096 bytes each, with their lengths and info list. */
    static final int MAX_OPTION_LENGTH = 3 * Nbd.MAX_STRING;
    private static final int OPTION_HEADER = 16;
    /** The metadata context id we hand out for base:allocation (any non-zero number the client echoes back). */
    static final int BASE_ALLOCATION_ID = 1;
    static final int HANDSHAKE_TIMEOUT_SECONDS = 60;

    private final NbdExports exports;
    private final NbdSettings settings;
    private boolean clientFlagsRead;
    private boolean noZeroes;
    private boolean structuredReplies;
    /** The export NBD_OPT_SET_META_CONTEXT selected base:allocation for, or null. */
    private String metaContextExport;
    private boolean closing;
    private ScheduledFuture<?> timeout;

    NbdHandshake(NbdExports exports, NbdSettings settings) {
        this.exports = exports;
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf greeting = ctx.alloc().buffer(18);
        greeting.writeLong(Nbd.NBDMAGIC).writeLong(Nbd.IHAVEOPT)
                .writeShort(Nbd.NBD_FLAG_FIXED_NEWSTYLE | Nbd.NBD_FLAG_NO_ZEROES);
        ctx.writeAndFlush(greeting);
        // a client that never gets to transmission holds a connection for nothing (proto.md lets a server
        // hard-disconnect what it takes for a denial of service)
        timeout = ctx.executor().schedule(() -> hardDisconnect(ctx, "handshake not finished within "
                + HANDSHAKE_TIMEOUT_SECONDS + " s"), HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "nbd " + ctx.channel().remoteAddress() + ": closing in the handshake", cause);
        closing = true;
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) timeout.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!clientFlagsRead) {
            if (in.readableBytes() < 4) return;
            int flags = in.readInt();
            if ((flags & ~(Nbd.NBD_FLAG_C_FIXED_NEWSTYLE | Nbd.NBD_FLAG_C_NO_ZEROES)) != 0) {
                // proto.md: the server MUST drop the connection on a client flag it does not know
                hardDisconnect(ctx, String.format("client flags: 0x%08x (expected: only NBD_FLAG_C_FIXED_NEWSTYLE"
                        + " and NBD_FLAG_C_NO_ZEROES)", flags));
                return;
            }
            noZeroes = (flags & Nbd.NBD_FLAG_C_NO_ZEROES) != 0;
            clientFlagsRead = true;
            return;
        }
        if (in.readableBytes() < OPTION_HEADER) return;
        int at = in.readerIndex();
        long magic = in.getLong(at);
        int option = in.getInt(at + 8);
        long length = in.getUnsignedInt(at + 12);
        if (magic != Nbd.IHAVEOPT) {
            hardDisconnect(ctx, String.format("option magic: 0x%016x (expected: IHAVEOPT 0x%016x)", magic,
                    Nbd.IHAVEOPT));
            return;
        }
        if (length > MAX_OPTION_LENGTH) {
            hardDisconnect(ctx, Nbd.optionName(option) + " length: " + length + " (expected: <= "
                    + MAX_OPTION_LENGTH + ")");
            return;
        }
        if (in.readableBytes() < OPTION_HEADER + length) return;
        in.skipBytes(OPTION_HEADER);
        option(ctx, option, in.readSlice((int) length));
    }

    private void option(ChannelHandlerContext ctx, int option, ByteBuf data) {
        switch (option) {
            case Nbd.NBD_OPT_EXPORT_NAME -> exportName(ctx, data);
            case Nbd.NBD_OPT_ABORT -> {
                closing = true;
                ctx.writeAndFlush(reply(ctx, option, Nbd.NBD_REP_ACK)).addListener(ChannelFutureListener.CLOSE);
            }
            case Nbd.NBD_OPT_LIST -> list(ctx, data);
            case Nbd.NBD_OPT_INFO, Nbd.NBD_OPT_GO -> infoOrGo(ctx, option, data);
            case Nbd.NBD_OPT_STRUCTURED_REPLY -> {
                if (data.isReadable()) {
                    error(ctx, option, Nbd.NBD_REP_ERR_INVALID, "option length: " + data.readableBytes()
                            + " (expected: 0)");
                } else {
                    structuredReplies = true;
                    ctx.writeAndFlush(reply(ctx, option, Nbd.NBD_REP_ACK));
                }
            }
            case Nbd.NBD_OPT_LIST_META_CONTEXT, Nbd.NBD_OPT_SET_META_CONTEXT -> metaContext(ctx, option, data);
            default -> error(ctx, option, Nbd.NBD_REP_ERR_UNSUP, Nbd.optionName(option) + " is not supported");
        }
    }

    // ------------------------------------------------------------------ options

    private void exportName(ChannelHandlerContext ctx, ByteBuf data) {
        String name = data.toString(StandardCharsets.UTF_8);
        Optional<NbdExport> e = exports.find(name);
        if (e.isEmpty()) {
            // proto.md: NBD_OPT_EXPORT_NAME cannot be answered with an error; the server MUST terminate the session
            hardDisconnect(ctx, "NBD_OPT_EXPORT_NAME: \"" + name + "\" (expected: one of " + names() + ")");
            return;
        }
        ByteBuf b = ctx.alloc().buffer(noZeroes ? 10 : 134);
        b.writeLong(e.get().size()).writeShort(e.get().transmissionFlags(structuredReplies));
        if (!noZeroes) b.writeZero(124);
        ctx.writeAndFlush(b);
        enterTransmission(ctx, e.get());
    }

    private void list(ChannelHandlerContext ctx, ByteBuf data) {
        if (data.isReadable()) {
            error(ctx, Nbd.NBD_OPT_LIST, Nbd.NBD_REP_ERR_INVALID, "option length: " + data.readableBytes()
                    + " (expected: 0)");
            return;
        }
        for (NbdExport e : exports.all()) {
            ByteBuf r = reply(ctx, Nbd.NBD_OPT_LIST, Nbd.NBD_REP_SERVER);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            r.writeInt(name.length).writeBytes(name).writeCharSequence(e.description(), StandardCharsets.UTF_8);
            ctx.write(finish(r));
        }
        ctx.writeAndFlush(reply(ctx, Nbd.NBD_OPT_LIST, Nbd.NBD_REP_ACK));
    }

    /** NBD_OPT_INFO and NBD_OPT_GO: name length, name, count of info requests, the requests (16 bits each). */
    private void infoOrGo(ChannelHandlerContext ctx, int option, ByteBuf data) {
        String name = readString(data);
        if (name == null || data.readableBytes() < 2 || data.readableBytes() != 2 + 2 * data.getUnsignedShort(
                data.readerIndex())) {
            error(ctx, option, Nbd.NBD_REP_ERR_INVALID, Nbd.optionName(option) + " data: "
                    + data.capacity() + " bytes (expected: name length, name, info count, 2 bytes per info)");
            return;
        }
        int count = data.readUnsignedShort();
        boolean wantName = false;
        boolean wantDescription = false;
        for (int i = 0; i < count; i++) {
            int info = data.readUnsignedShort();
            wantName |= info == Nbd.NBD_INFO_NAME;
            wantDescription |= info == Nbd.NBD_INFO_DESCRIPTION;
        }
        Optional<NbdExport> found = exports.find(name);
        if (found.isEmpty()) {
            error(ctx, option, Nbd.NBD_REP_ERR_UNKNOWN, "export name: \"" + name + "\" (expected: one of "
                    + names() + ")");
            return;
        }
        NbdExport e = found.get();
        ByteBuf r = info(ctx, option, Nbd.NBD_INFO_EXPORT);
        r.writeLong(e.size()).writeShort(e.transmissionFlags(structuredReplies));
        ctx.write(finish(r));
        if (wantName) ctx.write(finish(info(ctx, option, Nbd.NBD_INFO_NAME)
                .writeBytes(e.name().getBytes(StandardCharsets.UTF_8))));
        if (wantDescription) ctx.write(finish(info(ctx, option, Nbd.NBD_INFO_DESCRIPTION)
                .writeBytes(e.description().getBytes(StandardCharsets.UTF_8))));
        // sent whether asked or not: requests must be aligned to the device's block, and qemu and libnbd honour it
        ctx.write(finish(info(ctx, option, Nbd.NBD_INFO_BLOCK_SIZE).writeInt(e.minimumBlockSize())
                .writeInt(e.preferredBlockSize()).writeInt(settings.maxPayload())));
        ctx.writeAndFlush(reply(ctx, option, Nbd.NBD_REP_ACK));
        if (option == Nbd.NBD_OPT_GO) enterTransmission(ctx, e);
    }

    /**
     * NBD_OPT_LIST_META_CONTEXT / NBD_OPT_SET_META_CONTEXT: export name, number of queries, each query. We know
     * base:allocation only, and report every extent of it as data (status 0), which proto.md allows for any block.
     */
    private void metaContext(ChannelHandlerContext ctx, int option, ByteBuf data) {
        boolean set = option == Nbd.NBD_OPT_SET_META_CONTEXT;
        if (!structuredReplies) {
            error(ctx, option, Nbd.NBD_REP_ERR_INVALID, Nbd.optionName(option)
                    + " before NBD_OPT_STRUCTURED_REPLY (expected: structured replies negotiated first)");
            return;
        }
        String name = readString(data);
        List<String> queries = new ArrayList<>();
        long count = data.readableBytes() >= 4 ? data.readUnsignedInt() : -1;
        for (long i = 0; name != null && i < count; i++) {
            String q = readString(data);
            if (q == null) count = -1;
            else queries.add(q);
        }
        if (name == null || count < 0 || data.isReadable()) {
            error(ctx, option, Nbd.NBD_REP_ERR_INVALID, Nbd.optionName(option) + " data: " + data.capacity()
                    + " bytes (expected: name length, name, query count, each query with its length)");
            return;
        }
        Optional<NbdExport> e = exports.find(name);
        if (e.isEmpty()) {
            error(ctx, option, Nbd.NBD_REP_ERR_UNKNOWN, "export name: \"" + name + "\" (expected: one of "
                    + names() + ")");
            return;
        }
        // LIST with no query lists everything; "base:" names the whole namespace when listing
        boolean match = (!set && queries.isEmpty()) || queries.contains(Nbd.BASE_ALLOCATION)
                || (!set && queries.contains("base:"));
        if (set) metaContextExport = match ? e.get().name() : null;
        if (match) {
            ByteBuf r = reply(ctx, option, Nbd.NBD_REP_META_CONTEXT);
            r.writeInt(set ? BASE_ALLOCATION_ID : 0).writeCharSequence(Nbd.BASE_ALLOCATION, StandardCharsets.UTF_8);
            ctx.write(finish(r));
        }
        ctx.writeAndFlush(reply(ctx, option, Nbd.NBD_REP_ACK));
    }

    private void enterTransmission(ChannelHandlerContext ctx, NbdExport e) {
        boolean blockStatus = structuredReplies && e.name().equals(metaContextExport);
        NbdTransmission t = new NbdTransmission(e, structuredReplies, blockStatus, settings);
        ctx.channel().attr(NbdServer.EXPORT_NAME).set(e.name());
        ctx.pipeline().addAfter(ctx.name(), "nbd-transmission", t);
        // what is left in our buffer is the first requests: ByteToMessageDecoder hands it to the decoder
        ctx.pipeline().replace(this, "nbd-requests", new NbdRequestDecoder(t, settings.maxPayload()));
    }

    // ------------------------------------------------------------------ replies

    /** An option reply header with its length still 0; {@link #finish} sets it. */
    private static ByteBuf reply(ChannelHandlerContext ctx, int option, int type) {
        return ctx.alloc().buffer(64).writeLong(Nbd.REPLY_MAGIC).writeInt(option).writeInt(type).writeInt(0);
    }

    private static ByteBuf info(ChannelHandlerContext ctx, int option, int info) {
        return reply(ctx, option, Nbd.NBD_REP_INFO).writeShort(info);
    }

    private static ByteBuf finish(ByteBuf reply) {
        return reply.setInt(16, reply.readableBytes() - 20);
    }

    private static void error(ChannelHandlerContext ctx, int option, int type, String message) {
        ByteBuf r = reply(ctx, option, type);
        r.writeCharSequence(message, StandardCharsets.UTF_8);
        ctx.writeAndFlush(finish(r));
    }

    private void hardDisconnect(ChannelHandlerContext ctx, String why) {
        LOG.log(Level.FINE, () -> "nbd " + ctx.channel().remoteAddress() + ": closing: " + why);
        closing = true;
        ctx.close();
    }

    /** A string preceded by its 32-bit length, or null when it does not fit or is longer than 4096 bytes. */
    private static String readString(ByteBuf data) {
        if (data.readableBytes() < 4) return null;
        long n = data.readUnsignedInt();
        if (n > Nbd.MAX_STRING || n > data.readableBytes()) return null;
        return data.readCharSequence((int) n, StandardCharsets.UTF_8).toString();
    }

    private String names() {
        List<String> n = new ArrayList<>();
        for (NbdExport e : exports.all()) n.add('"' + e.name() + '"');
        return n.isEmpty() ? "no export" : String.join(", ", n);
    }
}
