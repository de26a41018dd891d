package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.Errno;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.PathIds;

import java.util.Collection;
import java.util.Set;

/**
 * Resolves the device word of fail_path/reinstate_path to a path name (the kernel's dm_get_device, spec §3). A word
 * that names nothing fails with the lookup's errno; a device that exists but is not in this map resolves, and the map
 * then refuses it silently with EINVAL.
 */
@FunctionalInterface
public interface DeviceLookup {

    /** The path name {@code word} designates, or a MessageException carrying only the errno. */
    String resolve(String word) throws MessageException;

    /**
     * The devices in {@code known} (canonical names, see {@link PathIds}). Anything else fails as the kernel's
     * lookups do: a dev_t that opens nothing (99:99) with ENXIO, a name that resolves to nothing with ENODEV.
     */
    static DeviceLookup known(Collection<String> known) {
        Set<String> names = Set.copyOf(known);
        return word -> {
            String name = PathIds.canonical(word);
            if (name != null && names.contains(name)) return name;
            boolean devT = name != null && PathIds.isDevTShape(name);
            throw new MessageException(devT ? Errno.ENXIO : Errno.ENODEV, null);
        };
    }
}
