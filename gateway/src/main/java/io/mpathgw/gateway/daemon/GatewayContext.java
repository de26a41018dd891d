package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.DeviceLookup;
import io.mpathgw.dm.engine.DmLog;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.handler.HandlerContext;

/** What every map of one gateway shares: the timeline, the handlers' context, device names, logging. */
record GatewayContext(EventLog events, HandlerContext handlers, DeviceLookup lookup, DmLog dmLog,
                      ScsiPathIo.Settings ioSettings) {
}
