package io.mpathgw.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mpathgw.iscsi.text.TextKey;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Both sides of a negotiation agree: whatever {@link Negotiation#respond} answers to an offer, the originator's
 * {@link Negotiation#answered} accepts and turns into the same value, and that value is the RFC's result function.
 */
class NegotiationPropertiesTest {

    record Case(TextKey key, String offer, String support) {
    }

    @Property(tries = 500)
    void theResponderAnswerIsAlwaysAcceptedByTheOriginator(@ForAll("cases") Case c) throws LoginException {
        String answer = Negotiation.respond(c.key(), c.support(), c.offer());
        if (answer.equals("Reject")) {        // no common value: the default stands if the offer allows it
            assertThat(c.key().kind()).isEqualTo(TextKey.Kind.LIST);
            boolean defaultOffered = Arrays.asList(c.offer().split(",")).contains(c.key().defaultValue());
            assertThat(catchThrowable(() -> Negotiation.answered(c.key(), c.offer(), answer)) == null).isEqualTo(defaultOffered);
            return;
        }
        String agreed = Negotiation.answered(c.key(), c.offer(), answer);
        assertThat(agreed).isEqualTo(answer);
        switch (c.key().kind()) {
            case MIN -> assertThat(Long.parseLong(agreed)).isEqualTo(Math.min(Long.parseLong(c.offer()), Long.parseLong(c.support())));
            case MAX -> assertThat(Long.parseLong(agreed)).isEqualTo(Math.max(Long.parseLong(c.offer()), Long.parseLong(c.support())));
            case AND -> assertThat(agreed).isEqualTo(c.offer().equals("Yes") && c.support().equals("Yes") ? "Yes" : "No");
            case OR -> assertThat(agreed).isEqualTo(c.offer().equals("Yes") || c.support().equals("Yes") ? "Yes" : "No");
            default -> {
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        List<TextKey> numerical = Arrays.stream(TextKey.values())
                .filter(k -> k.kind() == TextKey.Kind.MIN || k.kind() == TextKey.Kind.MAX).toList();
        Arbitrary<Case> numbers = Arbitraries.of(numerical).flatMap(k -> {
            Arbitrary<String> v = Arbitraries.longs().between(k.min(), k.max()).map(x -> Long.toString(x));
            return Combinators.combine(v, v).as((a, b) -> new Case(k, a, b));
        });
        Arbitrary<String> yesNo = Arbitraries.of("Yes", "No");
        Arbitrary<Case> booleans = Arbitraries.of(TextKey.INITIAL_R2T, TextKey.IMMEDIATE_DATA, TextKey.DATA_PDU_IN_ORDER,
                TextKey.RDMA_EXTENSIONS).flatMap(k -> Combinators.combine(yesNo, yesNo).as((a, b) -> new Case(k, a, b)));
        Arbitrary<String> digests = Arbitraries.of("None", "CRC32C", "CRC32C,None", "None,CRC32C");
        Arbitrary<Case> lists = Combinators.combine(Arbitraries.of(TextKey.HEADER_DIGEST, TextKey.DATA_DIGEST), digests, digests)
                .as(Case::new);
        return Arbitraries.oneOf(numbers, booleans, lists);
    }
}
