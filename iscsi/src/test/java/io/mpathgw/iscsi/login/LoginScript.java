package io.mpathgw.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpathgw.iscsi.text.TextParameters;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** Test helpers: a conversation driven by scripted target responses, and CHAP computed independently. */
final class LoginScript {

    static final String INITIATOR = "iqn.2026-01.io.mpathgw:test-gw";
    static final String TARGET = "iqn.2026-01.sim:disk1";

    /** Answers a target gives to our default operational offer, accepting every value. */
    static final String[] ACCEPT_ALL = {
            "HeaderDigest=None", "DataDigest=None", "MaxConnections=1", "InitialR2T=No", "ImmediateData=Yes",
            "MaxBurstLength=16776192", "FirstBurstLength=262144", "DefaultTime2Wait=2", "DefaultTime2Retain=0",
            "MaxOutstandingR2T=8", "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0",
            "MaxRecvDataSegmentLength=131072"};

    final LoginConversation conversation;

    LoginScript(LoginConfig cfg) {
        this.conversation = new LoginConversation(cfg, seeded());
    }

    static LoginConfig.Builder config() {
        return LoginConfig.builder(INITIATOR).targetName(TARGET);
    }

    static SecureRandom seeded() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(7143);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** "Key=Value" strings (value up to the end, '=' allowed) as a key set. */
    static TextParameters keys(String... pairs) {
        TextParameters p = new TextParameters();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            p.add(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return p;
    }

    LoginStep first() {
        return conversation.first();
    }

    /** A Login Response with status 0; returns the next request, failing if there is none. */
    LoginStep respond(int csg, int nsg, boolean transit, String... pairs) throws LoginException {
        Optional<LoginStep> next = conversation.onResponse(csg, nsg, transit, keys(pairs));
        assertThat(next).as("a next Login Request").isPresent();
        return next.get();
    }

    /** The final Login Response (T=1, NSG=3): the login must be complete afterwards. */
    NegotiatedParameters finish(String... pairs) throws LoginException {
        assertThat(conversation.onResponse(1, 3, true, keys(pairs))).isEmpty();
        assertThat(conversation.complete()).isTrue();
        return conversation.result();
    }

    static void assertStep(LoginStep step, int csg, int nsg, boolean transit) {
        assertThat(step.csg()).as("CSG of " + step).isEqualTo(csg);
        assertThat(step.transit()).as("T of " + step).isEqualTo(transit);
        if (transit) assertThat(step.nsg()).as("NSG of " + step).isEqualTo(nsg);
    }

    /** RFC 1994 response computed with the JDK directly, by JCA name, independent of {@link Chap}. */
    static byte[] chapResponse(String jcaName, int identifier, byte[] secret, byte[] challenge) {
        try {
            MessageDigest md = MessageDigest.getInstance(jcaName);
            md.update((byte) identifier);
            md.update(secret);
            md.update(challenge);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String value) {
        assertThat(value).startsWith("0x");
        return HexFormat.of().parseHex(value.substring(2));
    }
}
