package io.mpathgw.gateway.model;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What the REST API (and through it the CLI and the web page) may ask of the running gateway. Reads return the
 * latest snapshots and never block on a path or a map thread, so a dead path never stalls the API (multipath-tools
 * issue 114). Actions complete when the map thread applied them; a refused one completes exceptionally with a
 * {@link ControlException}.
 */
public interface GatewayControl {

    List<MapView> maps();

    Optional<MapView> map(String name);

    /** Every path of every map, and paths that belong to no map (blacklisted, no WWID) with map "". */
    List<PathView> paths();

    List<SessionView> sessions();

    /** Events with seq &gt; {@code afterSeq}, oldest first, at most {@code limit}. */
    List<EventView> events(long afterSeq, int limit);

    /** Calls {@code listener} for each new event (on a gateway thread; it must not block). Close to stop. */
    AutoCloseable onEvent(Consumer<EventView> listener);

    Health health();

    /** {@code dmsetup message MAP SECTOR TEXT}: completes with the message's output ("" for most). */
    CompletionStage<String> message(String map, long sector, String text);

    /** multipathd {@code fail path DEV}: fail_path, and the checker leaves it failed until reinstated. */
    CompletionStage<Void> failPath(String dev);

    /** multipathd {@code reinstate path DEV}: checker on again, reinstate_path. */
    CompletionStage<Void> reinstatePath(String dev);

    CompletionStage<Void> switchGroup(String map, int group);

    CompletionStage<Void> enableGroup(String map, int group);

    CompletionStage<Void> disableGroup(String map, int group);

    /** multipathd {@code disablequeueing map M}; {@code map} null means every map. Queued I/O fails now. */
    CompletionStage<Void> disableQueueing(String map);

    /** multipathd {@code restorequeueing map M}; {@code map} null means every map. */
    CompletionStage<Void> restoreQueueing(String map);

    /** Retry the login of every session to {@code portal} ("address:port") now; null means every session. */
    CompletionStage<Void> retryLogin(String portal);

    /** multipathd {@code show config}: the effective multipath configuration, then the gateway's own. */
    String showConfig();

    /** Reads the configuration files again; a bad file leaves the running config in place and fails naming file:line. */
    CompletionStage<Void> reconfigure();
}
