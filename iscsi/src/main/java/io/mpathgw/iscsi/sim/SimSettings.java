package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.TargetSettings;
import io.mpathgw.scsi.AluaState;

import java.time.Duration;
import java.util.List;

/**
 * Everything {@link ArraySimulatorBuilder} collected, immutable. See the builder's methods for what each means and
 * its default.
 */
record SimSettings(
        Personality personality, int controllers, int portalsPerController, String host, int firstPort,
        String iqn, boolean targetPerController, long seed, List<LunSpec> luns,
        String vendor, String product, String revision,
        int tpgs, Duration transitionTime, int implicitTransitionTime, AluaState demotedState, int supportedStates,
        boolean rtpgExtendedHeader, boolean exclusiveOptimized,
        RdacMode rdacMode, int rdacMaxLunSupported, String emcModel,
        boolean failoverOnControllerLoss, TargetSettings targetSettings, int threads) {

    SimSettings {
        luns = List.copyOf(luns);
    }

    /**
     * IMPLICIT TRANSITION TIME of the RTPG extended header, in seconds: as configured, else the transition time
     * rounded up (at least 1, at most 255; 0 would make scsi_dh_alua wait its default 60 s).
     */
    int reportedTransitionSeconds() {
        if (implicitTransitionTime >= 0) return implicitTransitionTime;
        long ms = transitionTime.toMillis();
        return (int) Math.max(1, Math.min(255, (ms + 999) / 1000));
    }
}
