package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.initiator.InitiatorConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Options every subcommand takes. Digests given here are offered in addition to what the URL's
 * {@code header_digest}/{@code data_digest} say; the URL's {@code none} wins over nothing, a flag wins over the URL.
 *
 * @param headerDigest  {@code --header-digest}: offer CRC32C for HeaderDigest
 * @param dataDigest    {@code --data-digest}: offer CRC32C for DataDigest
 * @param initiatorName {@code --initiator-name IQN}, or {@code -i}, as libiscsi's tools
 * @param timeout       {@code --timeout SECONDS}: bound on the login and on each command
 * @param debug         {@code -d}/{@code --debug}: print a failure's stack trace
 */
record CommonOptions(boolean headerDigest, boolean dataDigest, String initiatorName, Duration timeout, boolean debug) {

    static final String DEFAULT_INITIATOR_NAME = "iqn.2026-11.io.mpathgw:iscsi-cli";
    static final double DEFAULT_TIMEOUT_SECONDS = 10;

    static final Args.Option HEADER_DIGEST = new Args.Option("header-digest", (char) 0, false);
    static final Args.Option DATA_DIGEST = new Args.Option("data-digest", (char) 0, false);
    static final Args.Option INITIATOR_NAME = new Args.Option("initiator-name", 'i', true);
    static final Args.Option TIMEOUT = new Args.Option("timeout", (char) 0, true);
    static final Args.Option DEBUG = new Args.Option("debug", 'd', false);
    static final Args.Option HELP = new Args.Option("help", 'h', false);

    static final List<Args.Option> OPTIONS = List.of(HEADER_DIGEST, DATA_DIGEST, INITIATOR_NAME, TIMEOUT, DEBUG, HELP);

    static final String USAGE = "[--header-digest] [--data-digest] [-i|--initiator-name IQN] [--timeout SECONDS] [-d|--debug]";

    static CommonOptions from(Args a) throws UsageException {
        String name = a.value(INITIATOR_NAME, DEFAULT_INITIATOR_NAME);
        if (name.isBlank() || name.chars().anyMatch(c -> c <= ' '))
            throw UsageException.bad("--initiator-name", name, "an iSCSI name without spaces, e.g. iqn.2026-01.com.example:host1");
        double seconds = a.seconds(TIMEOUT, DEFAULT_TIMEOUT_SECONDS, 0.1, 3600);
        return new CommonOptions(a.flag(HEADER_DIGEST), a.flag(DATA_DIGEST), name,
                Duration.ofMillis(Math.round(seconds * 1000)), a.flag(DEBUG));
    }

    /** A session configuration for {@code url}'s CHAP and digests, logging in to {@code target} through {@code portal}. */
    InitiatorConfig.Builder config(IscsiUrl url, InetSocketAddress portal, String target) {
        InitiatorConfig.Builder b = InitiatorConfig.builder(portal, target)
                .initiatorName(initiatorName)
                .headerDigest(headerDigest || url.headerDigest().orElse(false))
                .dataDigest(dataDigest || url.dataDigest().orElse(false))
                .loginTimeout(timeout)
                .commandTimeout(timeout);
        url.chap().ifPresent(c -> b.chap(c.user(), c.secret()));
        url.targetChap().ifPresent(c -> b.mutualChap(c.user(), c.secret()));
        url.chapAlgorithm().ifPresent(a -> b.chapAlgorithms(List.of(a)));
        return b;
    }
}
