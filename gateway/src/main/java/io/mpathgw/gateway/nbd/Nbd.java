package io.mpathgw.gateway.nbd;

/**
 * The NBD protocol's numbers, named as NetworkBlockDevice/nbd doc/proto.md spells them (fixed newstyle handshake,
 * the INFO, STRUCTURED_REPLY, BLOCK_STATUS and WRITE_ZEROES extensions).
 */
final class Nbd {

    private Nbd() {
    }

    // ------------------------------------------------------------------ handshake
    /** 'NBDMAGIC', the INIT_PASSWD. */
    static final long NBDMAGIC = 0x4e42444d41474943L;
    /** 'IHAVEOPT': the newstyle magic, also the prefix of every option. */
    static final long IHAVEOPT = 0x49484156454F5054L;
    /** Magic of an option reply. */
    static final long REPLY_MAGIC = 0x3e889045565a9L;

    static final int NBD_FLAG_FIXED_NEWSTYLE = 1;
    static final int NBD_FLAG_NO_ZEROES = 1 << 1;
    static final int NBD_FLAG_C_FIXED_NEWSTYLE = 1;
    static final int NBD_FLAG_C_NO_ZEROES = 1 << 1;

    static final int NBD_OPT_EXPORT_NAME = 1;
    static final int NBD_OPT_ABORT = 2;
    static final int NBD_OPT_LIST = 3;
    static final int NBD_OPT_STARTTLS = 5;
    static final int NBD_OPT_INFO = 6;
    static final int NBD_OPT_GO = 7;
    static final int NBD_OPT_STRUCTURED_REPLY = 8;
    static final int NBD_OPT_LIST_META_CONTEXT = 9;
    static final int NBD_OPT_SET_META_CONTEXT = 10;

    static final int NBD_REP_ACK = 1;
    static final int NBD_REP_SERVER = 2;
    static final int NBD_REP_INFO = 3;
    static final int NBD_REP_META_CONTEXT = 4;
    static final int NBD_REP_ERR_UNSUP = 0x8000_0001;
    static final int NBD_REP_ERR_POLICY = 0x8000_0002;
    static final int NBD_REP_ERR_INVALID = 0x8000_0003;
    static final int NBD_REP_ERR_UNKNOWN = 0x8000_0006;
    static final int NBD_REP_ERR_SHUTDOWN = 0x8000_0007;

    static final int NBD_INFO_EXPORT = 0;
    static final int NBD_INFO_NAME = 1;
    static final int NBD_INFO_DESCRIPTION = 2;
    static final int NBD_INFO_BLOCK_SIZE = 3;

    /** The one metadata context we know; every extent of it is reported allocated and not known to be zero. */
    static final String BASE_ALLOCATION = "base:allocation";

    // ------------------------------------------------------------------ transmission flags (16 bits)
    static final int NBD_FLAG_HAS_FLAGS = 1;
    static final int NBD_FLAG_READ_ONLY = 1 << 1;
    static final int NBD_FLAG_SEND_FLUSH = 1 << 2;
    static final int NBD_FLAG_SEND_FUA = 1 << 3;
    static final int NBD_FLAG_SEND_TRIM = 1 << 5;
    static final int NBD_FLAG_SEND_WRITE_ZEROES = 1 << 6;
    static final int NBD_FLAG_SEND_DF = 1 << 7;
    static final int NBD_FLAG_CAN_MULTI_CONN = 1 << 8;

    // ------------------------------------------------------------------ requests
    static final int NBD_REQUEST_MAGIC = 0x25609513;
    /** magic, flags, type, handle, offset, length. */
    static final int REQUEST_HEADER = 28;

    static final int NBD_CMD_READ = 0;
    static final int NBD_CMD_WRITE = 1;
    static final int NBD_CMD_DISC = 2;
    static final int NBD_CMD_FLUSH = 3;
    static final int NBD_CMD_TRIM = 4;
    static final int NBD_CMD_CACHE = 5;
    static final int NBD_CMD_WRITE_ZEROES = 6;
    static final int NBD_CMD_BLOCK_STATUS = 7;

    static final int NBD_CMD_FLAG_FUA = 1;
    static final int NBD_CMD_FLAG_NO_HOLE = 1 << 1;
    static final int NBD_CMD_FLAG_DF = 1 << 2;
    static final int NBD_CMD_FLAG_REQ_ONE = 1 << 3;

    // ------------------------------------------------------------------ replies
    static final int NBD_SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int NBD_STRUCTURED_REPLY_MAGIC = 0x668e33ef;
    static final int NBD_REPLY_FLAG_DONE = 1;
    static final int NBD_REPLY_TYPE_NONE = 0;
    static final int NBD_REPLY_TYPE_OFFSET_DATA = 1;
    static final int NBD_REPLY_TYPE_BLOCK_STATUS = 5;
    static final int NBD_REPLY_TYPE_ERROR = 0x8001;

    // ------------------------------------------------------------------ errors (proto.md "Error values")
    static final int EPERM = 1;
    static final int EIO = 5;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOVERFLOW = 75;
    static final int ESHUTDOWN = 108;

    /** proto.md: a string MUST be no longer than 4096 bytes. */
    static final int MAX_STRING = 4096;

    static String optionName(int option) {
        return switch (option) {
            case NBD_OPT_EXPORT_NAME -> "NBD_OPT_EXPORT_NAME";
            case NBD_OPT_ABORT -> "NBD_OPT_ABORT";
            case NBD_OPT_LIST -> "NBD_OPT_LIST";
            case NBD_OPT_STARTTLS -> "NBD_OPT_STARTTLS";
            case NBD_OPT_INFO -> "NBD_OPT_INFO";
            case NBD_OPT_GO -> "NBD_OPT_GO";
            case NBD_OPT_STRUCTURED_REPLY -> "NBD_OPT_STRUCTURED_REPLY";
            case NBD_OPT_LIST_META_CONTEXT -> "NBD_OPT_LIST_META_CONTEXT";
            case NBD_OPT_SET_META_CONTEXT -> "NBD_OPT_SET_META_CONTEXT";
            default -> "option " + option;
        };
    }

    static String commandName(int type) {
        return switch (type) {
            case NBD_CMD_READ -> "NBD_CMD_READ";
            case NBD_CMD_WRITE -> "NBD_CMD_WRITE";
            case NBD_CMD_DISC -> "NBD_CMD_DISC";
            case NBD_CMD_FLUSH -> "NBD_CMD_FLUSH";
            case NBD_CMD_TRIM -> "NBD_CMD_TRIM";
            case NBD_CMD_CACHE -> "NBD_CMD_CACHE";
            case NBD_CMD_WRITE_ZEROES -> "NBD_CMD_WRITE_ZEROES";
            case NBD_CMD_BLOCK_STATUS -> "NBD_CMD_BLOCK_STATUS";
            default -> "command " + type;
        };
    }
}
