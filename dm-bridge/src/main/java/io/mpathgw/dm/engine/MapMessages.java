package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.DmArgs;
import io.mpathgw.dm.table.DmMessage;
import io.mpathgw.dm.table.Errno;
import io.mpathgw.dm.table.KernelNumbers;
import io.mpathgw.dm.table.MessageException;

import java.util.List;
import java.util.function.Consumer;

/**
 * Target messages (spec §3): dm core's checks (empty message, '@' messages, sector), then the suspended check,
 * then multipath_message's own argument checks and actions, with the kernel's errnos and log lines.
 */
final class MapMessages {

    private static final String IOCTL = "device-mapper: ioctl: ";

    private final MultipathDevice m;
    private final DeviceLookup lookup;

    MapMessages(MultipathDevice m, DeviceLookup lookup) {
        this.m = m;
        this.lookup = lookup;
    }

    /** DM_TARGET_MSG to {@code sector} of the map. */
    void message(long sector, String text) throws MessageException {
        List<String> argv = DmArgs.split(text);
        if (argv.isEmpty()) throw refuse(Errno.EINVAL, IOCTL + "Empty message received.");
        if (argv.get(0).startsWith("@"))    // dm core's own messages (stats, deferred remove): not emulated
            throw refuse(Errno.EINVAL, IOCTL + "Unsupported message sent to DM core: " + argv.get(0));
        if (sector < 0 || sector >= m.length())
            throw refuse(Errno.EINVAL, IOCTL + "Target message sector outside device.");
        if (m.isSuspended()) throw new MessageException(Errno.EBUSY, null);    // before any argument check
        DmMessage msg;
        try {
            msg = DmMessage.parse(argv);
        } catch (MessageException e) {
            throw logged(e);
        }
        apply(msg);
    }

    void apply(DmMessage msg) throws MessageException {
        switch (msg.verb()) {
            case QUEUE_IF_NO_PATH -> m.setQueueIfNoPath(true, false, "message queue_if_no_path");
            case FAIL_IF_NO_PATH -> m.setQueueIfNoPath(false, false, "message fail_if_no_path");
            case DISABLE_GROUP -> m.bypass(group(msg.argument(), "bypass_pg"), true);
            case ENABLE_GROUP -> m.bypass(group(msg.argument(), "bypass_pg"), false);
            case SWITCH_GROUP -> m.switchGroup(group(msg.argument(), "switch_pg_num"));
            case FAIL_PATH -> actionDev(msg.argument(), p -> m.failPath(p, "message fail_path"));
            case REINSTATE_PATH -> actionDev(msg.argument(), p -> m.reinstatePath(p, "message reinstate_path"));
        }
    }

    /** bypass_pg_num / switch_pg_num: a kstrtouint number 1..#PGs. */
    private PriorityGroup group(String word, String function) throws MessageException {
        long n = KernelNumbers.kstrtouint(word);
        if (n == KernelNumbers.INVALID || n == 0 || n > m.groups.size())
            throw refuse(Errno.EINVAL, DmMessage.PREFIX + "invalid PG number supplied to " + function);
        return m.groups.get((int) n - 1);
    }

    /** action_dev: every entry of that device; EINVAL, silently, when the map has none. */
    private void actionDev(String word, Consumer<Path> action) throws MessageException {
        String name;
        try {
            name = lookup.resolve(word);
        } catch (MessageException e) {
            throw refuse(e.errno(), DmMessage.PREFIX + "message: error getting device " + word);
        }
        boolean found = false;
        for (PriorityGroup pg : m.groups)
            for (Path p : pg.paths)
                if (p.name().equals(name)) {
                    action.accept(p);
                    found = true;
                }
        if (!found) throw new MessageException(Errno.EINVAL, null);
    }

    private MessageException refuse(Errno errno, String kernelLine) {
        return logged(new MessageException(errno, kernelLine));
    }

    private MessageException logged(MessageException e) {
        if (e.kernelLine() != null) m.log.line(e.kernelLine());
        return e;
    }
}
