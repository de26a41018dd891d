package io.mpathgw.iscsi.login;

import static io.mpathgw.iscsi.login.LoginScript.ACCEPT_ALL;
import static io.mpathgw.iscsi.login.LoginScript.INITIATOR;
import static io.mpathgw.iscsi.login.LoginScript.TARGET;
import static io.mpathgw.iscsi.login.LoginScript.assertStep;
import static io.mpathgw.iscsi.login.LoginScript.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextReassembler;
import io.mpathgw.iscsi.text.TextSegmenter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LoginOperationalNegotiation, stage bits and declarations, against scripted target responses. */
class LoginConversationOperationalTest {

    @Test
    void noAuthenticationOffersEverythingInOneRequestAndCompletes() throws LoginException {
        LoginScript s = new LoginScript(config().headerDigest(true).maxBurstLength(1048576).firstBurstLength(65536)
                .maxOutstandingR2T(4).defaultTime2Wait(3).initiatorAlias("gw1").build());
        LoginStep first = s.first();
        assertStep(first, 1, 3, true);
        assertThat(first.keys().toString()).isEqualTo(String.join(" ", "InitiatorName=" + INITIATOR,
                "InitiatorAlias=gw1", "SessionType=Normal", "TargetName=" + TARGET, "HeaderDigest=CRC32C,None",
                "DataDigest=None", "MaxConnections=1", "InitialR2T=No", "ImmediateData=Yes", "MaxBurstLength=1048576",
                "FirstBurstLength=65536", "DefaultTime2Wait=3", "DefaultTime2Retain=0", "MaxOutstandingR2T=4",
                "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0", "MaxRecvDataSegmentLength=262144"));

        NegotiatedParameters p = s.finish("TargetPortalGroupTag=2", "TargetAlias=disk one", "HeaderDigest=CRC32C",
                "DataDigest=None", "MaxConnections=1", "InitialR2T=Yes", "ImmediateData=Yes", "MaxBurstLength=262144",
                "FirstBurstLength=32768", "DefaultTime2Wait=5", "DefaultTime2Retain=0", "MaxOutstandingR2T=1",
                "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0", "MaxRecvDataSegmentLength=65536");
        assertThat(p).isEqualTo(new NegotiatedParameters(true, false, 1, true, true, 262144, 65536, 262144, 32768,
                5, 0, 1, true, true, 0, "RFC3720", 1));
        assertThat(s.conversation.targetPortalGroupTag()).hasValue(2);
        assertThat(s.conversation.targetAlias()).contains("disk one");
        assertThat(s.conversation.authMethod()).isEqualTo("None");
        assertThat(s.conversation.warnings()).isEmpty();
    }

    @Test
    void defaultsAreTheRfcDefaults() {
        assertThat(NegotiatedParameters.DEFAULTS).isEqualTo(new NegotiatedParameters(false, false, 1, true, true,
                8192, 8192, 262144, 65536, 2, 20, 1, true, true, 0, "RFC3720", 1));
        assertThat(NegotiatedParameters.DEFAULTS.firstBurstRelevant()).isTrue();
    }

    @Test
    void dataDigestAndUndeclaredTargetLimit() throws LoginException {
        LoginScript s = new LoginScript(config().headerDigest(true).dataDigest(true).build());
        assertThat(s.first().keys().first("DataDigest")).contains("CRC32C,None");
        NegotiatedParameters p = s.finish(replace(ACCEPT_ALL, "HeaderDigest=None", "DataDigest=CRC32C",
                "MaxRecvDataSegmentLength=" + null));
        assertThat(p.headerDigest()).isFalse();
        assertThat(p.dataDigest()).isTrue();
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(8192);      // RFC 7143 §13.12 default
        assertThat(p.maxRecvDataSegmentLength()).isEqualTo(262144);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "HeaderDigest=CRC32C|HeaderDigest: CRC32C (expected: one of None, RFC 7143 §13.1)",
            "MaxBurstLength=0|MaxBurstLength: 0 (expected: 512..16777215, RFC 7143 §13.13)",
            "MaxBurstLength=16777215|MaxBurstLength: 16777215 (expected: at most our 16776192, the minimum, RFC 7143 §13.13)",
            "DefaultTime2Wait=1|DefaultTime2Wait: 1 (expected: at least our 2, the maximum, RFC 7143 §13.15)",
            "ImmediateData=maybe|ImmediateData: 'maybe' (expected: Yes or No, RFC 7143 §13.11)",
            "DataPDUInOrder=No|DataPDUInOrder: No (expected: Yes, the OR with our Yes, RFC 7143 §13.18)",
            "ErrorRecoveryLevel=2|ErrorRecoveryLevel: 2 (expected: at most our 0, the minimum, RFC 7143 §13.20)",
            "MaxConnections=4|MaxConnections: 4 (expected: at most our 1, the minimum, RFC 7143 §13.2)",
            "MaxOutstandingR2T=0|MaxOutstandingR2T: 0 (expected: 1..65535, RFC 7143 §13.17)",
            "DefaultTime2Retain=Reject|DefaultTime2Retain: Reject (expected: an answer to our 0; its default 20 is no result our offer allows, RFC 7143 §13.16)",
            "MaxRecvDataSegmentLength=100|MaxRecvDataSegmentLength: 100 (expected: 512..16777215, RFC 7143 §13.12)",
            "TargetPortalGroupTag=65536|TargetPortalGroupTag: 65536 (expected: 0..65535, RFC 7143 §13.9)",
            "InitiatorName=iqn.x|InitiatorName: iqn.x from the target (expected: sent by initiators only, RFC 7143 §13.5)",
            "SessionType=Discovery|SessionType: Discovery from the target (expected: sent by initiators only, RFC 7143 §13.21)",
            "TargetName=iqn.other|TargetName: iqn.other (expected: iqn.2026-01.sim:disk1: a target names targets only in SendTargets answers, RFC 7143 §13.4)"})
    void answersBreakingTheRulesEndTheLogin(String answer, String message) {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertThatThrownBy(() -> s.finish(replace(ACCEPT_ALL, answer)))
                .isInstanceOf(LoginException.class).hasMessage(message);
    }

    @Test
    void reservedAnswersLeaveTheDefault() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        NegotiatedParameters p = s.finish(replace(ACCEPT_ALL, "MaxBurstLength=Reject", "FirstBurstLength=Irrelevant",
                "DataSequenceInOrder=NotUnderstood", "HeaderDigest=Reject"));
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        assertThat(p.dataSequenceInOrder()).isTrue();
        assertThat(p.headerDigest()).isFalse();
    }

    @Test
    void booleansOurOfferDecidesNeedNoAnswer() throws LoginException {
        LoginScript s = new LoginScript(config().initialR2T(true).immediateData(false).maxBurstLength(4096)
                .firstBurstLength(4096).build());
        TextParameters offer = s.first().keys();
        assertThat(offer.first("FirstBurstLength")).as("irrelevant under InitialR2T=Yes, ImmediateData=No").isEmpty();
        NegotiatedParameters p = s.finish(drop(replace(ACCEPT_ALL, "MaxBurstLength=4096"), "InitialR2T",
                "ImmediateData", "DataPDUInOrder", "DataSequenceInOrder", "FirstBurstLength"));
        assertThat(p.initialR2T()).isTrue();
        assertThat(p.immediateData()).isFalse();
        assertThat(p.firstBurstRelevant()).isFalse();
        assertThat(p.firstBurstLength()).as("default, irrelevant, above MaxBurstLength without harm").isEqualTo(65536);
        assertThat(p.dataPduInOrder()).isTrue();
    }

    @Test
    void firstBurstLengthMustNotExceedMaxBurstLength() {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertThatThrownBy(() -> s.finish(replace(ACCEPT_ALL, "MaxBurstLength=65536")))
                .isInstanceOf(LoginException.class)
                .hasMessage("FirstBurstLength: 262144 (expected: at most MaxBurstLength 65536, RFC 7143 §13.14)");
    }

    @Test
    void transitWithAnOfferUnansweredFails() {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertThatThrownBy(() -> s.finish(drop(ACCEPT_ALL, "MaxBurstLength")))
                .isInstanceOf(LoginException.class)
                .hasMessage("MaxBurstLength: no answer to our 16776192 (expected: an answer before FullFeaturePhase, RFC 7143 §6.2)");
    }

    @Test
    void targetKeepingTZeroGetsAnEmptyRequestWithT() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        LoginStep step = s.respond(1, 0, false, ACCEPT_ALL);
        assertStep(step, 1, 3, true);
        assertThat(step.keys().isEmpty()).isTrue();
        step = s.respond(1, 0, false);
        assertStep(step, 1, 3, true);
        assertThat(s.finish().maxBurstLength()).isEqualTo(16776192);
    }

    @Test
    void answersOverSeveralResponsesHoldTheTBitBack() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        List<String> all = Arrays.asList(ACCEPT_ALL);
        LoginStep step = s.respond(1, 0, false, all.subList(0, 5).toArray(String[]::new));
        assertStep(step, 1, 3, false);                            // offers still unanswered: no transit yet
        step = s.respond(1, 0, false, all.subList(5, all.size()).toArray(String[]::new));
        assertStep(step, 1, 3, true);
        assertThat(s.finish().errorRecoveryLevel()).isZero();
    }

    @Test
    void aTargetThatNeverAnswersIsGivenUpOn() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertStep(s.respond(1, 0, false), 1, 3, false);
        assertStep(s.respond(1, 0, false), 1, 3, false);
        assertThatThrownBy(() -> s.respond(1, 0, false))
                .isInstanceOf(LoginException.class)
                .hasMessage("HeaderDigest: no answer after 3 responses (expected: an answer to our offer, RFC 7143 §6.2)");
    }

    @Test
    void aTargetThatNeverTransitsIsGivenUpOn() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        s.respond(1, 0, false, ACCEPT_ALL);
        for (int i = 2; i <= LoginConversation.MAX_RESPONSES; i++) s.respond(1, 0, false, "X-spin" + i + "=1");
        assertThatThrownBy(() -> s.respond(1, 0, false))
                .isInstanceOf(LoginException.class)
                .hasMessage("Login Response: #33 in LoginOperationalNegotiation (expected: FullFeaturePhase within 32 responses)");
    }

    @Test
    void offersOfTheTargetAreAnswered() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        LoginStep step = s.respond(1, 0, false, concat(ACCEPT_ALL, "IFMarker=No", "OFMarkInt=2048~8192",
                "TaskReporting=FastAbort,RFC3720", "iSCSIProtocolLevel=2", "RDMAExtensions=Yes",
                "X-com.example.Feature=on", "FooBar=1", "X#NodeArchitecture=ExampleOS/1.0"));
        assertStep(step, 1, 3, true);
        assertThat(step.keys().toString()).isEqualTo("IFMarker=Reject OFMarkInt=Reject TaskReporting=RFC3720 "
                + "iSCSIProtocolLevel=1 RDMAExtensions=No X-com.example.Feature=NotUnderstood FooBar=NotUnderstood");
        NegotiatedParameters p = s.finish();
        assertThat(p.taskReporting()).isEqualTo("RFC3720");
        assertThat(p.iscsiProtocolLevel()).isEqualTo(1);
        assertThat(s.conversation.extensionKeys().toString())
                .isEqualTo("X-com.example.Feature=on X#NodeArchitecture=ExampleOS/1.0");
    }

    @Test
    void offersInTheFinalResponseCannotBeAnsweredAndFail() {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertThatThrownBy(() -> s.finish(concat(ACCEPT_ALL, "TaskReporting=FastAbort")))
                .isInstanceOf(LoginException.class)
                .hasMessage("Login Response: offers [TaskReporting=FastAbort] with T=1 to FullFeaturePhase (expected: "
                        + "no new offers in the final response, they could not be answered, RFC 7143 §6.3)");
    }

    @Test
    void reservedValuesForKeysWeNeverSentAreIgnored() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        s.finish(concat(ACCEPT_ALL, "TaskReporting=NotUnderstood", "FooBar=Reject"));
        assertThat(s.conversation.warnings()).containsExactly(
                "TaskReporting: NotUnderstood ignored (we never offered TaskReporting)",
                "FooBar: Reject ignored (we never sent FooBar)",
                "TargetPortalGroupTag: not declared (expected: in the first Login Response of a normal session, RFC 7143 §13.9)");
    }

    @Test
    void ourExtensionKeysGoWithTheOfferAndTheirAnswersAreKept() throws LoginException {
        LoginScript s = new LoginScript(config().extensionKey("X-io.mpathgw.Hello", "a=b").build());
        assertThat(s.first().keys().first("X-io.mpathgw.Hello")).contains("a=b");
        LoginStep step = s.respond(1, 0, false, concat(ACCEPT_ALL, "X-io.mpathgw.Hello=NotUnderstood"));
        assertThat(step.keys().isEmpty()).isTrue();
        s.finish();
        assertThat(s.conversation.extensionKeys().first("X-io.mpathgw.Hello")).contains("NotUnderstood");
    }

    @Test
    void aKeyNegotiatedTwiceFailsADeclarationRepeatedIsTolerated() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        s.first();
        s.respond(1, 0, false, concat(ACCEPT_ALL, "TargetAlias=a"));
        s.respond(1, 0, false, "TargetAlias=a");
        assertThat(s.conversation.warnings()).containsExactly("TargetAlias=a declared twice");
        assertThatThrownBy(() -> s.respond(1, 0, false, "TargetAlias=b"))
                .isInstanceOf(LoginException.class)
                .hasMessage("TargetAlias: b a second time (first: a) (expected: each key once per login, RFC 7143 §6.3)");
        LoginScript t = new LoginScript(config().build());
        t.first();
        t.respond(1, 0, false, ACCEPT_ALL);
        assertThatThrownBy(() -> t.respond(1, 0, false, "MaxBurstLength=16776192"))
                .isInstanceOf(LoginException.class)
                .hasMessage("MaxBurstLength: 16776192 a second time (first: 16776192) (expected: each key once per login, RFC 7143 §6.3)");
    }

    @Test
    void responseMustStayInTheStageOfTheRequest() {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertThatThrownBy(() -> s.respond(0, 1, true))
                .isInstanceOf(LoginException.class)
                .hasMessage("CSG: 0 (expected: 1, the stage of our request, RFC 7143 §11.13)");
    }

    @Test
    void discoverySessionOffersOnlyWhatApplies() throws LoginException {
        LoginScript s = new LoginScript(LoginConfig.builder(INITIATOR).headerDigest(true).build());
        LoginStep first = s.first();
        assertStep(first, 1, 3, true);
        assertThat(first.keys().toString()).isEqualTo("InitiatorName=" + INITIATOR + " SessionType=Discovery "
                + "HeaderDigest=CRC32C,None DataDigest=None DefaultTime2Wait=2 DefaultTime2Retain=0 "
                + "ErrorRecoveryLevel=0 MaxRecvDataSegmentLength=262144");
        LoginStep step = s.respond(1, 0, false, "HeaderDigest=None", "DataDigest=None", "DefaultTime2Wait=2",
                "DefaultTime2Retain=0", "ErrorRecoveryLevel=0", "MaxBurstLength=262144", "InitialR2T=Yes",
                "MaxRecvDataSegmentLength=32768");
        assertThat(step.keys().toString()).isEqualTo("MaxBurstLength=Irrelevant InitialR2T=Irrelevant");
        NegotiatedParameters p = s.finish();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(32768);
        assertThat(s.conversation.targetPortalGroupTag()).isEmpty();
        assertThat(s.conversation.targetAlias()).isEmpty();
        assertThat(s.conversation.warnings()).as("a discovery session needs no TargetPortalGroupTag").isEmpty();
    }

    @Test
    void keysSplitOverSeveralPdusArriveWhole() throws LoginException {
        LoginScript s = new LoginScript(config().initiatorAlias("a".repeat(200)).build());
        TextParameters sent = s.first().keys();
        TextReassembler r = new TextReassembler();
        Optional<TextParameters> joined = Optional.empty();
        for (TextSegmenter.Segment seg : TextSegmenter.split(sent, 64)) {
            joined = r.add(seg.data(), seg.continues());
            seg.data().release();
        }
        assertThat(joined).contains(sent);
        assertThat(s.finish(ACCEPT_ALL).firstBurstLength()).isEqualTo(262144);
    }

    @Test
    void theConversationIsUsedInOrder() throws LoginException {
        LoginScript s = new LoginScript(config().build());
        assertThatThrownBy(() -> s.conversation.onResponse(1, 3, true, new TextParameters()))
                .isInstanceOf(IllegalStateException.class);
        s.first();
        assertThatThrownBy(s::first).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s.conversation::result).isInstanceOf(IllegalStateException.class);
        s.finish(ACCEPT_ALL);
        assertThatThrownBy(() -> s.conversation.onResponse(1, 3, true, new TextParameters()))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "mutual-no-chap|mutualChap: set without chap (expected: one-way CHAP first, RFC 7143 §12.1.3)",
            "same-secret|mutualChap secret: same as the chap secret (expected: a different one; a secret for initiator authentication must not authenticate targets, RFC 7143 §12.1.3)",
            "burst|firstBurstLength: 1048576 (expected: <= maxBurstLength 65536, RFC 7143 §13.14)",
            "mrdsl|MaxRecvDataSegmentLength: 511 (expected: 512..16777215, RFC 7143 §13.12)",
            "wait|DefaultTime2Wait: 3601 (expected: 0..3600, RFC 7143 §13.15)",
            "extension|extensionKeys: MaxBurstLength (expected: X-... or X#... keys, RFC 7143 §13.22)",
            "algorithms|chapAlgorithms: [] (expected: at least one, e.g. MD5)",
            "target-name|targetName: 'iqn.2026-01.sim:<208 a>' (expected: an iSCSI name of 1..223 bytes, RFC 7143 §4.2.7.1)",
            "alias|initiatorAlias: 256 characters (expected: at most 255 bytes, RFC 7143 §6.1)"})
    void configurationIsCheckedWhenBuilt(String which, String message) {
        LoginConfig.Builder b = config();
        switch (which) {
            case "mutual-no-chap" -> b.mutualChap(ChapCredentials.of("t", "target-secret-1"));
            case "same-secret" -> b.chap(ChapCredentials.of("i", "same-secret-123")).mutualChap(ChapCredentials.of("t", "same-secret-123"));
            case "burst" -> b.maxBurstLength(65536).firstBurstLength(1048576);
            case "mrdsl" -> b.maxRecvDataSegmentLength(511);
            case "wait" -> b.defaultTime2Wait(3601);
            case "extension" -> b.extensionKey("MaxBurstLength", "1");
            case "algorithms" -> b.chapAlgorithms(List.of());
            case "target-name" -> b.targetName("iqn.2026-01.sim:" + "a".repeat(208));
            case "alias" -> b.initiatorAlias("a".repeat(256));
            default -> throw new AssertionError(which);
        }
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message.replace("<208 a>", "a".repeat(208)));
    }

    /** {@code base} with the pairs of {@code changes} replaced by key; a value of "null" removes the key. */
    private static String[] replace(String[] base, String... changes) {
        List<String> out = new ArrayList<>(Arrays.asList(base));
        for (String c : changes) {
            String key = c.substring(0, c.indexOf('='));
            int at = -1;
            for (int i = 0; i < out.size(); i++) if (out.get(i).startsWith(key + "=")) at = i;
            if (c.endsWith("=null")) out.remove(at);
            else if (at >= 0) out.set(at, c);
            else out.add(c);
        }
        return out.toArray(String[]::new);
    }

    private static String[] drop(String[] base, String... keys) {
        return Arrays.stream(base).filter(kv -> Arrays.stream(keys).noneMatch(k -> kv.startsWith(k + "=")))
                .toArray(String[]::new);
    }

    private static String[] concat(String[] base, String... more) {
        return Stream.concat(Arrays.stream(base), Arrays.stream(more)).toArray(String[]::new);
    }
}
