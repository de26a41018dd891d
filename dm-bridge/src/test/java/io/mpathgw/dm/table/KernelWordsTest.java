package io.mpathgw.dm.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's readings of single words: dm_split_args, sscanf %u, kstrtouint, device names (spec §1.1, §1.6). */
class KernelWordsTest {

    @ParameterizedTest(name = "sscanf(''{0}'') = {1}")
    @CsvSource(delimiter = '|', value = {
            "0|0", "08|8", "1024|1024", "4294967295|4294967295", "4294967296|0", "4294967297|1",
            "18446744073709551617|1", "-1|-1", "+1|-1", "1x|-1", "x|-1", "''|-1", "0x10|-1"})
    void tableCountsReadAsSscanfUnsigned(String word, long value) {
        assertThat(KernelNumbers.scanUnsigned(word)).isEqualTo(value);
    }

    @ParameterizedTest(name = "kstrtouint(''{0}'') = {1}")
    @CsvSource(delimiter = '|', value = {
            "1|1", "+2|2", "002|2", "4294967295|4294967295", "4294967296|-1", "1x|-1", "-1|-1", "''|-1", "+|-1",
            "0x1|-1"})
    void messagePgNumbersReadAsKstrtouint(String word, long value) {
        assertThat(KernelNumbers.kstrtouint(word)).isEqualTo(value);
    }

    @ParameterizedTest(name = "''{0}'' names ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "8:16|8:16", "08:016|8:16", "4095:1048575|4095:1048575", "4096:0|", "8:1048576|", "701|7:1",
            "fd00|253:0", "0|", "p1|p1", "/dev/sdb|/dev/sdb",
            "iqn.2026-01.sim:a,t,0x1,lun0|iqn.2026-01.sim:a,t,0x1,lun0",
            "8:x|8:x"})
    void pathWordsNameDevicesAsTheKernelDoes(String word, String name) {
        assertThat(PathIds.canonical(word)).isEqualTo(name);
    }

    @ParameterizedTest(name = "split ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "a b|[a, b]", "'  a   b  '|[a, b]", "a\\ b c|[a b, c]", "a\\\\b|[a\\b]", "a\\|[a\\]", "''|[]"})
    void splitsLikeDmSplitArgs(String input, String words) {
        assertThat(DmArgs.split(input).toString()).isEqualTo(words);
    }
}
