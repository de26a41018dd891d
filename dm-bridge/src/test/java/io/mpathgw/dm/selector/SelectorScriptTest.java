package io.mpathgw.dm.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpathgw.dm.table.TableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Selection order, fail/reinstate placement, accounting and status strings, as tables of scripts. */
class SelectorScriptTest {

    @ParameterizedTest(name = "{0} [{1}] {2}: {3}")
    @CsvFileSource(resources = "/dm/selector/scripts.cases", delimiter = '|')
    void choosesAndPrintsAsTheKernel(String type, String selectorArgs, String paths, String script, String expected)
            throws TableException {
        SelectorScript s = new SelectorScript(type, selectorArgs, paths);
        assertThat(s.run(script)).isEqualTo(expected == null ? "" : expected);
    }
}
