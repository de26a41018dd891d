package io.mpathgw.iscsi.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TextKeyTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(TextKey.class)
    void everyKeyIsFoundByItsWireName(TextKey key) {
        assertThat(TextKey.byName(key.wireName())).contains(key);
        assertThat(key.toString()).isEqualTo(key.wireName());
    }

    @Test
    void lookupIsCaseSensitiveAndUnknownKeysAreAbsent() {
        assertThat(TextKey.byName("headerdigest")).isEmpty();
        assertThat(TextKey.byName("ISCSIProtocolLevel")).isEmpty();
        assertThat(TextKey.byName("iSCSIProtocolLevel")).contains(TextKey.ISCSI_PROTOCOL_LEVEL);
        assertThat(TextKey.byName("X-com.example.Foo")).isEmpty();
        assertThat(TextKey.byName("FooBar")).isEmpty();
    }

    @Test
    void extensionKeysAreXDashAndXHash() {
        assertThat(TextKey.isExtension("X-com.example.Foo")).isTrue();
        assertThat(TextKey.isExtension("X#NodeArchitecture")).isTrue();
        assertThat(TextKey.isExtension("Xfoo")).isFalse();
        assertThat(TextKey.isExtension("MaxBurstLength")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TextKey.class)
    void defaultsLieInTheKeysOwnDomain(TextKey key) {
        String d = key.defaultValue();
        if (d == null) return;
        if (key.numerical()) {
            assertThat(TextValues.parseNumber(d)).isPresent();
            assertThat(TextValues.parseNumber(d).getAsLong()).isBetween(key.min(), key.max());
        }
        if (key.bool()) assertThat(d).isIn("Yes", "No");
        assertThat(d.length()).isLessThanOrEqualTo(key.maxValueLength());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TextKey.Kind.class, names = {"MIN", "MAX"})
    void numericalResultFunctionsHaveRangesAndDefaults(TextKey.Kind kind) {
        Arrays.stream(TextKey.values()).filter(k -> k.kind() == kind).forEach(k -> {
            assertThat(k.numerical()).as(k.wireName()).isTrue();
            assertThat(k.negotiated()).as(k.wireName()).isTrue();
            assertThat(k.defaultValue()).as(k.wireName()).isNotNull();
        });
    }

    @Test
    void rowsAsTheRfcDeclaresThem() {
        TextKey k = TextKey.MAX_BURST_LENGTH;
        assertThat(k.use()).isEqualTo(TextKey.Use.LO);
        assertThat(k.senders()).isEqualTo(TextKey.Senders.BOTH);
        assertThat(k.scope()).isEqualTo(TextKey.Scope.SW);
        assertThat(k.kind()).isEqualTo(TextKey.Kind.MIN);
        assertThat(k.range()).isEqualTo("512..16777215");
        assertThat(k.defaultValue()).isEqualTo("262144");
        assertThat(k.rfc()).isEqualTo("RFC 7143 §13.13");
        assertThat(k.irrelevantInDiscovery()).isTrue();

        assertThat(TextKey.DEFAULT_TIME2WAIT.kind()).isEqualTo(TextKey.Kind.MAX);
        assertThat(TextKey.INITIAL_R2T.kind()).isEqualTo(TextKey.Kind.OR);
        assertThat(TextKey.IMMEDIATE_DATA.kind()).isEqualTo(TextKey.Kind.AND);
        assertThat(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH.kind()).isEqualTo(TextKey.Kind.DECLARATIVE);
        assertThat(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH.scope()).isEqualTo(TextKey.Scope.CO);
        assertThat(TextKey.TARGET_ALIAS.senders()).isEqualTo(TextKey.Senders.TARGET);
        assertThat(TextKey.INITIATOR_NAME.senders()).isEqualTo(TextKey.Senders.INITIATOR);
        assertThat(TextKey.ERROR_RECOVERY_LEVEL.range()).isEqualTo("0..2");
        assertThat(TextKey.RDMA_EXTENSIONS.rfc()).isEqualTo("RFC 7145");
        assertThat(TextKey.CHAP_C.maxValueLength()).isEqualTo(8192);
        assertThat(TextKey.TARGET_ALIAS.maxValueLength()).isEqualTo(255);
    }
}
