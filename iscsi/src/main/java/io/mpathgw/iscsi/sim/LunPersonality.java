package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.sbc.Interceptor;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;

/**
 * A personality's state and behaviour for one LUN: the {@link Interceptor} the LUN's SBC emulation consults before
 * executing a command (after unit attentions and reservations), plus what the array does by itself — controller
 * failover. One instance per LUN; thread-safe, as the interceptor is called from every connection's event loop.
 */
interface LunPersonality extends Interceptor {

    /** Adds what the personality needs to the LU before it is built: TPGS, port groups, vendor VPD pages. */
    void configure(SbcLogicalUnitBuilder lu);

    /** Index of the controller that owns the LUN, or is about to once a transition ends; -1 when none does. */
    int owner();

    /** The array moves the LUN to controller {@code to} by itself (implicit; takes the transition time). */
    void failover(int to);

    /** Controller {@code index} died: its LUNs move if the array does that, its ALUA group becomes unavailable. */
    void controllerLost(int index);

    /** Controller {@code index} is back; it owns nothing until a failover or a handler moves LUNs to it. */
    void controllerRevived(int index);

    /** One line for status output: owner and states. */
    String describe();

    /** Stops pending transitions; called when the array closes. */
    default void close() {
    }
}
