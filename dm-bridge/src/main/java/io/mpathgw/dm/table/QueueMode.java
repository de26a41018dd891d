package io.mpathgw.dm.table;

/** The {@code queue_mode} feature (spec §1.2): {@code rq} and {@code mq} both mean request-based, the default. */
public enum QueueMode {
    REQUEST_BASED,
    /** {@code queue_mode bio}; forces retain_attached_hw_handler and drops the hardware handler section. */
    BIO
}
