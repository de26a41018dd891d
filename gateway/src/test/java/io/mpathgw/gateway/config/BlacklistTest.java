package io.mpathgw.gateway.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** filter_path: per category, an exception beats a blacklist entry; '!' inverts; categories are independent. */
class BlacklistTest {

    private static final String W = "3600a0b8000000000000000000000000a";

    @Test
    void exceptionsWinOnlyInTheirOwnCategory() throws ConfException {
        MultipathConf c = MultipathConf.parse("""
                blacklist {
                \twwid .*
                \tdevice {
                \t\tvendor ACME
                \t}
                \tdevnode "^loop"
                }
                blacklist_exceptions {
                \twwid "^3600a0b8"
                \tdevice {
                \t\tvendor ACME
                \t\tproduct "^GOOD"
                \t}
                }
                """, "m.conf");
        assertThat(c.blacklisted("OTHER", "DISK", W, "sdb")).isFalse();         // wwid excepted
        assertThat(c.blacklisted("OTHER", "DISK", "3500000000000000a", "sdb")).isTrue();
        assertThat(c.blacklisted("ACME", "DISK", W, "sdb")).isTrue();           // the wwid exception does not help
        assertThat(c.blacklisted("ACME", "GOOD ONE", W, "sdb")).isFalse();
        assertThat(c.blacklisted("OTHER", "DISK", W, "loop0")).isTrue();
        assertThat(c.blacklisted("OTHER", "DISK", W, null)).isFalse();          // no devnode: category skipped
    }

    @Test
    void bangInvertsARegex() throws ConfException {
        MultipathConf c = MultipathConf.parse("blacklist {\n\tdevnode \"!^(sd[a-z]|dasd[a-z]|nvme[0-9])\"\n}\n", "m.conf");
        assertThat(c.blacklisted("X", "Y", W, "sdc")).isFalse();
        assertThat(c.blacklisted("X", "Y", W, "ram0")).isTrue();
        assertThat(c.show()).contains("\tdevnode \"!^(sd[a-z]|dasd[a-z]|nvme[0-9])\"\n");
    }

    @Test
    void protocolRulesSeeOurPathsAsScsiIscsi() throws ConfException {
        assertThat(MultipathConf.parse("blacklist {\n protocol \"scsi:iscsi\"\n}\n", "m.conf")
                .blacklisted("X", "Y", W, null)).isTrue();
        assertThat(MultipathConf.parse("blacklist {\n protocol \"scsi:fcp\"\n}\n", "m.conf")
                .blacklisted("X", "Y", W, null)).isFalse();
        assertThat(MultipathConf.parse("blacklist {\n protocol scsi\n}\nblacklist_exceptions {\n protocol iscsi\n}\n",
                "m.conf").blacklisted("X", "Y", W, null)).isFalse();
    }

    @Test
    void posixBracketExpressionsAreReadAsPosixDoes() throws ConfException {
        // ERE: "[[0-9]*]" is a bracket of '[' and digits, repeated, then a literal ']'
        MultipathConf c = MultipathConf.parse("blacklist {\n devnode \"^hd[a-z][[0-9]*]\"\n"
                + " wwid \"^[[:digit:]]+x$\"\n}\n", "m.conf");
        assertThat(c.blacklisted("X", "Y", null, "hda[1]")).isTrue();
        assertThat(c.blacklisted("X", "Y", null, "hda]")).isTrue();
        assertThat(c.blacklisted("X", "Y", null, "hda1")).isFalse();
        assertThat(c.blacklisted("X", "Y", "123x", null)).isTrue();
        assertThat(c.blacklisted("X", "Y", "12ax", null)).isFalse();
    }

    @Test
    void duplicateSectionsMergeWithAWarning() throws ConfException {
        MultipathConf c = MultipathConf.parse("""
                devices {
                \tdevice {
                \t\tvendor ACME
                \t\tproduct DISK
                \t\tno_path_retry 4
                \t\tfailback 20
                \t}
                \tdevice {
                \t\tvendor ACME
                \t\tproduct DISK
                \t\tno_path_retry 6
                \t}
                }
                multipaths {
                \tmultipath {
                \t\twwid %s
                \t\talias one
                \t\trr_weight priorities
                \t}
                \tmultipath {
                \t\twwid %s
                \t\talias two
                \t}
                }
                """.formatted(W, W), "m.conf");
        assertThat(c.warnings()).extracting(ConfWarning::toString).containsExactly(
                "m.conf:8: duplicate device section for ACME:DISK:(unset) (first on line 2), merged",
                "m.conf:20: duplicate multipath config section for " + W + " (first on line 15), merged");
        MapPolicy p = c.policyFor("ACME", "DISK", null, W);
        assertThat(p.noPathRetry().value()).isEqualTo(6);
        assertThat(p.failback()).isEqualTo(Failback.deferred(20));
        assertThat(p.alias()).isEqualTo("two");
        assertThat(p.rrWeight()).isEqualTo("priorities");
    }
}
