package io.mpathgw.gateway.nbd;

import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.scsi.BlockDevice;

/**
 * Whether a device takes more requests now, and a call when it does again: a {@link MultipathBlockDevice}'s
 * water marks and busy flag; any other {@link BlockDevice} always takes them (it has no queue of its own to fill).
 */
interface DeviceWritability {

    DeviceWritability ALWAYS = new DeviceWritability() {
        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void whenWritable(Runnable r) {
            r.run();
        }
    };

    boolean writable();

    /** Runs {@code r} once the device is writable (at once if it is), on whatever thread made it so. */
    void whenWritable(Runnable r);

    static DeviceWritability of(BlockDevice device) {
        if (!(device instanceof MultipathBlockDevice map)) return ALWAYS;
        return new DeviceWritability() {
            @Override
            public boolean writable() {
                return map.writable();
            }

            @Override
            public void whenWritable(Runnable r) {
                map.whenWritable().thenRun(r);
            }
        };
    }
}
