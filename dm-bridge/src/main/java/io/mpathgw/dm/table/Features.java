package io.mpathgw.dm.table;

/**
 * The feature section of a table after {@code parse_features} (spec §1.2): duplicates resolved (last wins), bio
 * mode already implying retain_attached_hw_handler.
 *
 * @param pgInitRetries    0 when absent, else 1..50
 * @param pgInitDelayMsecs {@link #DELAY_UNSET} when absent, else 0..60000
 */
public record Features(boolean queueIfNoPath, int pgInitRetries, int pgInitDelayMsecs,
                       boolean retainAttachedHwHandler, QueueMode queueMode) {

    public static final int DELAY_UNSET = -1;
    /** DM_PG_INIT_DELAY_MSECS: the delay used when the table gave none. */
    public static final int DEFAULT_PG_INIT_DELAY_MSECS = 2000;

    public static final Features NONE = new Features(false, 0, DELAY_UNSET, false, QueueMode.REQUEST_BASED);

    public boolean pgInitDelayGiven() {
        return pgInitDelayMsecs != DELAY_UNSET;
    }

    /** The delay before a retried pg_init round (spec §4.5). */
    public int effectivePgInitDelayMsecs() {
        return pgInitDelayGiven() ? pgInitDelayMsecs : DEFAULT_PG_INIT_DELAY_MSECS;
    }

    /**
     * The feature section as {@code dmsetup table} prints it (spec §2.2): count, then the features in fixed order;
     * queue_if_no_path as the map has it now. pg_init_delay_msecs is printed whenever the table gave it, even 0 or
     * 2000 (kernel-golden README: the data wins over the spec's "silently overwritten"); rq/mq never.
     */
    public void emit(DmEmit out, boolean queueIfNoPathNow) {
        boolean bio = queueMode == QueueMode.BIO;
        out.number((queueIfNoPathNow ? 1 : 0) + (pgInitRetries > 0 ? 2 : 0) + (pgInitDelayGiven() ? 2 : 0)
                + (retainAttachedHwHandler ? 1 : 0) + (bio ? 2 : 0));
        if (queueIfNoPathNow) out.token("queue_if_no_path");
        if (pgInitRetries > 0) out.token("pg_init_retries").number(pgInitRetries);
        if (pgInitDelayGiven()) out.token("pg_init_delay_msecs").number(pgInitDelayMsecs);
        if (retainAttachedHwHandler) out.token("retain_attached_hw_handler");
        if (bio) out.token("queue_mode").token("bio");
    }
}
