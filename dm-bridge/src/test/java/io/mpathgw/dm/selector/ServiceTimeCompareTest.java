package io.mpathgw.dm.selector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** st_compare_load's four cases, the int truncation [Q] and the shift by 7, with exact results. */
class ServiceTimeCompareTest {

    @ParameterizedTest(name = "sz1={0} tp1={1} sz2={2} tp2={3} in={4} -> {5}")
    @CsvFileSource(resources = "/dm/selector/st-compare.cases", delimiter = '|')
    void comparesAsTheKernel(String sz1, int tp1, String sz2, int tp2, long incoming, int expected) {
        assertThat(ServiceTimeSelector.compareLoad(Long.parseUnsignedLong(sz1), tp1, Long.parseUnsignedLong(sz2),
                tp2, incoming)).isEqualTo(expected);
    }
}
