package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class WwidTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scsi/vpd83.cases", delimiter = '|', quoteCharacter = '\'')
    void choosesAndFormatsLikeMultipathTools(String name, String image, String expected) {
        ByteBuf page = Unpooled.wrappedBuffer(Hex.bytes(image));
        page.readerIndex(0);
        Optional<Wwid> wwid = Wwid.fromVpd83(page);
        if (expected.equals("NONE")) {
            assertThat(wwid).isEmpty();
        } else {
            assertThat(wwid).map(Wwid::value).contains(expected);
            assertThat(wwid.get()).hasToString(expected);
        }
        assertThat(page.readerIndex()).isZero();
    }

    @Test
    void readsTheWholeBufferFromItsReaderIndex() {
        byte[] tgt = Hex.bytes(line(0));
        ByteBuf buf = Unpooled.buffer().writeZero(3).writeBytes(tgt);
        buf.readerIndex(3);
        assertThat(Wwid.fromVpd83(buf)).map(Wwid::value).contains("360000000000000000e00000000010001");
        assertThat(buf.readerIndex()).isEqualTo(3);
    }

    @Test
    void aPageCutByTheAllocationLengthStillYieldsWhatArrived() {
        // tgt's page cut after the NAA 3 designator (56 of 76 bytes): multipath-tools uses what it received
        byte[] cut = Arrays.copyOf(Hex.bytes(line(0)), 4 + 40 + 12);
        Optional<Wwid> wwid = Wwid.fromVpd83(cut);
        assertThat(wwid).map(Wwid::value).contains("1IET_00010001");
        assertThat(wwid.get().source().type()).isEqualTo(Vpd83.TYPE_T10_VENDOR_ID);
    }

    @Test
    void longScsiNameStringsAreCutAt128DesignatorBytes() {
        String iqn = "iqn." + "a".repeat(240);
        Vpd83 page = new Vpd83(0, java.util.List.of(new Vpd83.Designator(5, Vpd83.CODE_SET_UTF8, true,
                Vpd83.ASSOCIATION_LU, Vpd83.TYPE_SCSI_NAME_STRING, (iqn + "\0\0\0\0").getBytes())));
        assertThat(Wwid.of(page)).map(Wwid::value).contains("8" + "a".repeat(124));
    }

    @Test
    void theSourceDesignatorIsKept() {
        Wwid w = Wwid.fromVpd83(Hex.bytes(line(2))).orElseThrow();
        assertThat(w.source().naa()).isEqualTo(Vpd83.NAA_IEEE_REGISTERED_EXTENDED);
        assertThat(w.source().association()).isEqualTo(Vpd83.ASSOCIATION_LU);
    }

    /** The image of data line {@code n} of vpd83.cases. */
    static String line(int n) {
        try (var in = WwidTest.class.getResourceAsStream("/scsi/vpd83.cases")) {
            return new String(in.readAllBytes()).lines().filter(l -> !l.startsWith("#")).skip(n).findFirst()
                    .orElseThrow().split("\\|")[1];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
