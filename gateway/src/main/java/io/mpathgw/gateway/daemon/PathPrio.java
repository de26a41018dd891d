package io.mpathgw.gateway.daemon;

import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TargetPortGroups;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A prioritizer (spec §7.2): higher is better, -1 undefined. The daemon's own const and alua; the gateway's prio
 * package supplies the full set. Never blocks.
 */
interface PathPrio {

    int UNDEF = -1;

    String name();

    CompletionStage<Prio> priority(ScsiTransport path, LunIdentity id, Duration timeout);

    /** @param aluaState "" without ALUA */
    record Prio(int value, int tpg, String aluaState) {
        static final Prio UNDEFINED = new Prio(UNDEF, -1, "");
    }

    static PathPrio create(String name, String args) {
        return switch (name) {
            case "const" -> new PathPrio() {
                public String name() { return "const"; }
                public CompletionStage<Prio> priority(ScsiTransport path, LunIdentity id, Duration timeout) {
                    return CompletableFuture.completedFuture(new Prio(1, id.tpg(), ""));
                }
            };
            case "alua" -> new Alua(args.contains("exclusive_pref_bit"));
            default -> throw new IllegalArgumentException("prio: \"" + name
                    + "\" (expected: const or alua in the daemon's own prioritizers)");
        };
    }

    /** RTPG, this path's group by the TPG id of VPD 0x83: A/O 50, A/NO 10, LBA-dependent 5, standby 1, else 0. */
    final class Alua implements PathPrio {
        private final boolean exclusivePrefBit;

        Alua(boolean exclusivePrefBit) {
            this.exclusivePrefBit = exclusivePrefBit;
        }

        public String name() {
            return "alua";
        }

        public CompletionStage<Prio> priority(ScsiTransport path, LunIdentity id, Duration timeout) {
            if (!id.inquiry().alua() || id.tpg() < 0) return CompletableFuture.completedFuture(Prio.UNDEFINED);
            return ScsiQueries.rtpg(path, timeout).thenApply(TargetPortGroups::parse)
                    .thenApply(groups -> groups.group(id.tpg()).map(g -> of(g, id.tpg()))
                            .orElse(new Prio(UNDEF, id.tpg(), "")))
                    .exceptionally(e -> new Prio(UNDEF, id.tpg(), ""));
        }

        private Prio of(TargetPortGroups.PortGroup g, int tpg) {
            AluaState s = g.state().orElse(null);
            int base = s == null ? 0 : switch (s) {
                case ACTIVE_OPTIMIZED -> 50;
                case ACTIVE_NON_OPTIMIZED -> 10;
                case LBA_DEPENDENT -> 5;
                case STANDBY -> 1;
                default -> 0;
            };
            if (g.preferred() && (s != AluaState.ACTIVE_OPTIMIZED || exclusivePrefBit)) base += 80;
            return new Prio(base, tpg, s == null ? "" : s.kernelName());
        }
    }
}
