package io.mpathgw.gateway.config;

import java.util.List;

/**
 * The {@code export} section of gateway.conf: how maps are offered to clients.
 *
 * @param nbdListen         where the NBD export listens (default 127.0.0.1:10809, NBD's port); null: {@code off}
 * @param iscsiListen       where the iSCSI target listens (default 127.0.0.1:3260); null: {@code off}
 * @param targetPrefix      each map is exported as target {@code targetPrefix + map name}
 * @param allowedInitiators initiator names allowed to log in to the export; empty: any initiator
 * @param chapUsername      CHAP name initiators must use; null: no CHAP
 * @param chapPassword      its secret; never printed
 */
public record ExportSettings(PortalAddress nbdListen, PortalAddress iscsiListen, String targetPrefix,
                             List<String> allowedInitiators, String chapUsername, String chapPassword) {

    public static final int NBD_PORT = 10809;

    public ExportSettings {
        allowedInitiators = List.copyOf(allowedInitiators);
    }

    public static ExportSettings defaults() {
        return new ExportSettings(new PortalAddress("127.0.0.1", NBD_PORT),
                new PortalAddress("127.0.0.1", PortalAddress.ISCSI_PORT), IscsiSettings.DEFAULT_INITIATOR_PREFIX,
                List.of(), null, null);
    }
}
