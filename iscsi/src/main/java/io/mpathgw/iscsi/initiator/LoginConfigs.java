package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.login.ChapCredentials;
import io.mpathgw.iscsi.login.LoginConfig;

import java.util.List;

/** Maps a session's {@link InitiatorConfig} to the {@link LoginConfig} the negotiation offers from. */
final class LoginConfigs {

    private LoginConfigs() {
    }

    static LoginConfig of(InitiatorConfig c, List<ChapAlgorithm> chapOffer) {
        LoginConfig.Builder b = LoginConfig.builder(c.initiatorName())
                .headerDigest(c.headerDigest()).dataDigest(c.dataDigest())
                .maxRecvDataSegmentLength(c.maxRecvDataSegmentLength())
                .maxBurstLength(c.maxBurstLength()).firstBurstLength(c.firstBurstLength())
                .initialR2T(c.initialR2T()).immediateData(c.immediateData())
                .maxOutstandingR2T(c.maxOutstandingR2T()).chapAlgorithms(chapOffer);
        c.targetName().ifPresent(b::targetName);
        if (c.chapUser().isPresent()) b.chap(ChapCredentials.of(c.chapUser().get(), c.chapSecret().orElseThrow()));
        if (c.mutualUser().isPresent())
            b.mutualChap(ChapCredentials.of(c.mutualUser().get(), c.mutualSecret().orElseThrow()));
        return b.build();
    }
}
