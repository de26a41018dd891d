package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.PersistentReserve;
import io.mpathgw.scsi.PersistentReserve.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

import static io.mpathgw.iscsi.target.sbc.TestLu.A;
import static io.mpathgw.iscsi.target.sbc.TestLu.A2;
import static io.mpathgw.iscsi.target.sbc.TestLu.B;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persistent reservations across two I_T nexuses (SPC-4 §5.9), in the scenarios of libiscsi's PersistentReserve
 * tests and beyond, and SPC-2 RESERVE(6)/RELEASE(6) (libiscsi Reserve6.*).
 */
class PersistentReservationTest {

    private static final int REGISTER = 0, RESERVE = 1, RELEASE = 2, CLEAR = 3, PREEMPT = 4, IGNORE = 6;
    private static final long K1 = 0x1111_2222_3333_4444L;
    private static final long K2 = 0x5555_6666_7777_8888L;
    private static final String READ = TestLu.read10(1, 1);
    private static final String WRITE = TestLu.write10(1, 1);
    private static final String TUR = "00 00 00 00 00 00";

    private static final Nexus C = new Nexus("iqn.2026-01.test:c", 0x23d000000003L, 1, 2);

    private final TestLu t = new TestLu(b -> b);

    @AfterEach
    void close() {
        t.close();
    }

    private TestLu.Result out(Nexus n, int action, int type, long key, long serviceActionKey, int flags) {
        return t.run(n, TestLu.prOut(action, type, 24), TestLu.prParameters(key, serviceActionKey, flags));
    }

    private void registerAndIgnore(Nexus n, long key) {
        out(n, IGNORE, 0, 0, key, 0).expect(Expect.GOOD);
    }

    /** READ KEYS through a third I_T nexus that never has a unit attention pending. */
    private PersistentReserve.Keys keys() {
        return PersistentReserve.parseKeys(t.run(C, TestLu.prIn(0, 4096)).expect(Expect.GOOD).data());
    }

    private Optional<PersistentReserve.Reservation> reservation(Nexus n) {
        return PersistentReserve.parseReservation(t.run(n, TestLu.prIn(1, 4096)).expect(Expect.GOOD).data());
    }

    private void canRead(Nexus n, boolean yes) {
        t.run(n, READ).expect(yes ? Expect.GOOD : Expect.RESERVATION_CONFLICT);
    }

    private void canWrite(Nexus n, boolean yes) {
        t.run(n, WRITE, new byte[512]).expect(yes ? Expect.GOOD : Expect.RESERVATION_CONFLICT);
    }

    /** libiscsi ProutReserve.Access*: what a registered and then unregistered second initiator may do. */
    @ParameterizedTest(name = "type {0}: registered read {1} write {2}, unregistered read {3} write {4}")
    @CsvSource({"1, true, false, true, false", "3, false, false, false, false", "5, true, true, true, false",
        "6, true, true, false, false", "7, true, true, true, false", "8, true, true, false, false"})
    void accessOfEveryType(int typeCode, boolean regRead, boolean regWrite, boolean unregRead, boolean unregWrite) {
        Type type = Type.of(typeCode);
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, typeCode, K1, 0, 0).expect(Expect.GOOD);
        PersistentReserve.Reservation r = reservation(A).orElseThrow();
        assertThat(r.type()).isEqualTo(type);
        assertThat(r.key()).isEqualTo(Reservations.allRegistrants(type) ? 0 : K1);
        canRead(A, true);
        canWrite(A, true);
        canRead(B, regRead);
        canWrite(B, regWrite);
        out(B, REGISTER, 0, K2, 0, 0).expect(Expect.GOOD);
        canRead(B, unregRead);
        canWrite(B, unregWrite);
        t.run(B, "12 00 00 00 60 00").expect(Expect.GOOD);                       // INQUIRY is always allowed
        t.run(B, "25 00 00 00 00 00 00 00 00 00").expect(Expect.GOOD);           // and READ CAPACITY
        t.run(B, "1a 00 3f 00 ff 00").expect(Expect.RESERVATION_CONFLICT);       // MODE SENSE is not
        out(A, RELEASE, typeCode, K1, 0, 0).expect(Expect.GOOD);
        assertThat(reservation(A)).isEmpty();
    }

    /** libiscsi ProutReserve.Ownership*: the holder unregisters; only the all-registrants types survive it. */
    @ParameterizedTest(name = "type {0} survives its holder: {1}")
    @CsvSource({"1, false", "3, false", "5, false", "6, false", "7, true", "8, true"})
    void theHolderLeaving(int typeCode, boolean survives) {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, typeCode, K1, 0, 0).expect(Expect.GOOD);
        out(A, REGISTER, 0, K1, 0, 0).expect(Expect.GOOD);
        assertThat(reservation(A).isPresent()).isEqualTo(survives);
        Type type = Type.of(typeCode);
        if (Reservations.registrantsOnly(type)) t.run(B, TUR).expect(Expect.RESERVATIONS_RELEASED);
        t.run(B, TUR).expect(Expect.GOOD);
        if (survives) {
            out(B, RELEASE, typeCode, K2, 0, 0).expect(Expect.GOOD);
            assertThat(reservation(A)).isEmpty();
        }
        out(B, REGISTER, 0, K2, 0, 0).expect(Expect.GOOD);
        assertThat(keys().keys()).isEmpty();
    }

    @Test
    void theLastRegistrantLeavingEndsAnAllRegistrantsReservation() {
        registerAndIgnore(A, K1);
        out(A, RESERVE, 7, K1, 0, 0).expect(Expect.GOOD);
        out(A, REGISTER, 0, K1, 0, 0).expect(Expect.GOOD);
        assertThat(reservation(A)).isEmpty();
    }

    /** libiscsi ProutPreempt.RemoveRegistration. */
    @Test
    void preemptRemovesARegistrationAndBumpsTheGenerationOnce() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        int generation = (int) keys().generation();
        out(B, PREEMPT, 3, K2, K1, 0).expect(Expect.GOOD);
        t.run(A, TUR).expect(Expect.REGISTRATIONS_PREEMPTED);
        t.run(B, TUR).expect(Expect.GOOD);
        PersistentReserve.Keys k = keys();
        assertThat(k.keys()).containsExactly(K2);
        assertThat(k.generation()).isEqualTo(generation + 1);
    }

    @Test
    void preemptingTheHolderTakesTheReservationOver() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);
        out(B, PREEMPT, 3, K2, K1, 0).expect(Expect.GOOD);
        assertThat(reservation(B).orElseThrow()).isEqualTo(new PersistentReserve.Reservation(
                keys().generation(), K2, 0, Type.EXCLUSIVE_ACCESS));
        assertThat(keys().keys()).containsExactly(K2);
    }

    @Test
    void theUnitAttentionOfAPreemptedNexusComesBeforeItsConflicts() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);
        out(B, PREEMPT, 3, K2, K1, 0).expect(Expect.GOOD);
        t.run(A, READ).expect(Expect.REGISTRATIONS_PREEMPTED);
        t.run(A, READ).expect(Expect.RESERVATION_CONFLICT);
        t.run(B, READ).expect(Expect.GOOD);
    }

    @Test
    void preemptWithKeyZeroIsOnlyForAllRegistrants() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(B, PREEMPT, 1, K2, 0, 0).expect(Expect.INVALID_FIELD_IN_PARAMETER_LIST.atParameter(8, -1));
        out(A, RESERVE, 8, K1, 0, 0).expect(Expect.GOOD);
        out(B, PREEMPT, 1, K2, 0, 0).expect(Expect.GOOD);
        assertThat(reservation(B).orElseThrow().type()).isEqualTo(Type.WRITE_EXCLUSIVE);
        assertThat(keys().keys()).containsExactly(K2);
        t.run(A, TUR).expect(Expect.REGISTRATIONS_PREEMPTED);
        canWrite(A, false);
        canRead(A, true);
    }

    @Test
    void preemptOfAnUnknownKeyConflicts() {
        registerAndIgnore(A, K1);
        out(A, PREEMPT, 1, K1, 0x99, 0).expect(Expect.RESERVATION_CONFLICT);
    }

    /** libiscsi ProutClear.Simple: CLEAR bumps the generation once, RESERVE not at all. */
    @Test
    void clearRemovesEverything() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        long generation = keys().generation();
        out(A, RESERVE, 3, K1, 0, 0).expect(Expect.GOOD);
        out(A, CLEAR, 0, K1, 0, 0).expect(Expect.GOOD);
        assertThat(reservation(A)).isEmpty();
        PersistentReserve.Keys k = keys();
        assertThat(k.keys()).isEmpty();
        assertThat(k.generation()).isEqualTo(generation + 1);
        t.run(B, TUR).expect(Expect.RESERVATIONS_PREEMPTED);
        t.run(A, TUR).expect(Expect.GOOD);
    }

    @Test
    void releaseRules() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, 5, K1, 0, 0).expect(Expect.GOOD);
        out(A, RELEASE, 1, K1, 0, 0).expect(Expect.INVALID_RELEASE);
        out(B, RELEASE, 5, K2, 0, 0).expect(Expect.GOOD);                        // not the holder: nothing
        assertThat(reservation(A)).isPresent();
        out(B, RELEASE, 5, K1, 0, 0).expect(Expect.RESERVATION_CONFLICT);        // wrong key
        out(A, RELEASE, 5, K1, 0, 0).expect(Expect.GOOD);
        assertThat(reservation(A)).isEmpty();
        t.run(B, TUR).expect(Expect.RESERVATIONS_RELEASED);
        t.run(A, TUR).expect(Expect.GOOD);
    }

    @Test
    void reserveRules() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, 1, K2, 0, 0).expect(Expect.RESERVATION_CONFLICT);        // not its key
        out(A, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);
        out(A, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);                        // again: nothing changes
        out(A, RESERVE, 3, K1, 0, 0).expect(Expect.RESERVATION_CONFLICT);        // another type
        out(B, RESERVE, 1, K2, 0, 0).expect(Expect.RESERVATION_CONFLICT);
        out(A, RESERVE, 1, K1, 0, 0x01).expect(Expect.GOOD);                     // APTPL ignored off REGISTER
    }

    @Test
    void registerRulesAndGeneration() {
        out(A, REGISTER, 0, 0, 0, 0).expect(Expect.GOOD);                        // key 0 unregistered: nothing
        assertThat(keys().generation()).isZero();
        out(A, REGISTER, 0, 0, K1, 0).expect(Expect.GOOD);
        out(A, REGISTER, 0, K2, K1, 0).expect(Expect.RESERVATION_CONFLICT);
        out(A, REGISTER, 0, K1, K2, 0).expect(Expect.GOOD);                      // change the key
        registerAndIgnore(A, K1);                                                 // whatever the key was
        out(A, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);
        out(A, RELEASE, 1, K1, 0, 0).expect(Expect.GOOD);
        PersistentReserve.Keys k = keys();
        assertThat(k.keys()).containsExactly(K1);
        assertThat(k.generation()).isEqualTo(3);                                 // RESERVE/RELEASE do not count
    }

    @Test
    void allTargetPortsRegistersEveryPortOfTheInitiator() {
        out(A, REGISTER, 0, 0, K1, 0x04).expect(Expect.GOOD);
        assertThat(keys().keys()).containsExactly(K1);
        out(A2, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);
        canWrite(A, true);
        canWrite(B, false);
        out(A2, REGISTER, 0, K1, 0, 0).expect(Expect.GOOD);
        assertThat(keys().keys()).isEmpty();
        assertThat(reservation(A)).isEmpty();
    }

    @Test
    void withoutAllTargetPortsEachPortRegistersOnItsOwn() {
        registerAndIgnore(A, K1);
        out(A2, RESERVE, 1, K1, 0, 0).expect(Expect.RESERVATION_CONFLICT);
        registerAndIgnore(A2, K2);
        assertThat(keys().keys()).containsExactly(K1, K2);
    }

    @Test
    void readFullStatusByteImage() {
        registerAndIgnore(A, K1);
        registerAndIgnore(B, K2);
        out(A, RESERVE, 1, K1, 0, 0).expect(Expect.GOOD);
        byte[] data = t.run(A, TestLu.prIn(3, 4096)).expect(Expect.GOOD).data();
        String expected = "00000002" + "00000080"
                + TestLu.be(K1, 8) + "00000000" + "01" + "01" + "00000000" + "0001" + "00000028" + tid(A)
                + TestLu.be(K2, 8) + "00000000" + "00" + "00" + "00000000" + "0003" + "00000028" + tid(B);
        assertThat(HexFormat.of().formatHex(data)).isEqualTo(expected);
    }

    /** iSCSI TransportID, format 01b (SPC-4 Table 508): 45h, 0, length, "name,i,0xISID" NUL-padded to 4. */
    private static String tid(Nexus n) {
        byte[] name = (n.initiatorName() + ",i,0x" + String.format("%012x", n.isid())).getBytes(StandardCharsets.UTF_8);
        assertThat(name.length).isEqualTo(35);
        return "45000024" + HexFormat.of().formatHex(name) + "00";
    }

    @Test
    void registrationsOutliveTheNexus() {
        registerAndIgnore(A, K1);
        out(A, RESERVE, 3, K1, 0, 0).expect(Expect.GOOD);
        t.lu.nexusRemoved(A);
        canRead(B, false);
        assertThat(reservation(B).orElseThrow().key()).isEqualTo(K1);
    }

    /** libiscsi Reserve6.2Initiators, which tgt fails. */
    @Test
    void reserve6AcrossTwoInitiators() {
        t.run(A, "16 00 00 00 00 00").expect(Expect.GOOD);
        t.run(A, "16 00 00 00 00 00").expect(Expect.GOOD);
        t.run(B, "16 00 00 00 00 00").expect(Expect.RESERVATION_CONFLICT);
        t.run(B, "17 00 00 00 00 00").expect(Expect.GOOD);
        t.run(A, "1a 00 3f 00 ff 00").expect(Expect.GOOD);
        t.run(B, "1a 00 3f 00 ff 00").expect(Expect.RESERVATION_CONFLICT);
        t.run(B, TUR).expect(Expect.RESERVATION_CONFLICT);
        t.run(B, "12 00 00 00 60 00").expect(Expect.GOOD);
        t.run(B, "a0 00 00 00 00 00 00 00 00 10 00 00").expect(Expect.GOOD);
        t.run(B, "03 00 00 00 12 00").expect(Expect.GOOD);
        t.run(B, TestLu.prIn(0, 64)).expect(Expect.RESERVATION_CONFLICT);
        t.run(B, "16 00 00 00 00 00").expect(Expect.RESERVATION_CONFLICT);
        t.run(A, "17 00 00 00 00 00").expect(Expect.GOOD);
        t.run(B, "16 00 00 00 00 00").expect(Expect.GOOD);
        t.run(B, "17 00 00 00 00 00").expect(Expect.GOOD);
    }

    /** libiscsi Reserve6.ITNexusLoss and Reserve6.Logout. */
    @Test
    void reserve6EndsWithItsNexus() {
        t.run(A, "16 00 00 00 00 00").expect(Expect.GOOD);
        t.lu.nexusRemoved(A);
        t.run(B, "16 00 00 00 00 00").expect(Expect.GOOD);
    }

    @Test
    void reserve6AndPersistentReservationsExcludeEachOther() {
        registerAndIgnore(A, K1);
        t.run(B, "16 00 00 00 00 00").expect(Expect.RESERVATION_CONFLICT);
        out(A, REGISTER, 0, K1, 0, 0).expect(Expect.GOOD);
        t.run(B, "16 00 00 00 00 00").expect(Expect.GOOD);
        out(A, IGNORE, 0, 0, K1, 0).expect(Expect.RESERVATION_CONFLICT);
        out(B, IGNORE, 0, 0, K2, 0).expect(Expect.GOOD);                         // the holder itself may
    }
}
