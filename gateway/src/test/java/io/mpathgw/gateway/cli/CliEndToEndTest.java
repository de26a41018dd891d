package io.mpathgw.gateway.cli;

import io.mpathgw.gateway.testing.Admin;
import io.mpathgw.gateway.testing.SimulatorArray;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the gateway (Quarkus, the daemon) logged into a simulated dual-controller ALUA array over four
 * portals, asked through Main as an admin would: {@code multipath -ll} shows the map with its two priority groups
 * of two paths, and {@code multipathd fail path} turns that path's letter to F in {@code dmsetup status} until
 * {@code reinstate path}.
 */
@QuarkusTest
@WithTestResource(value = SimulatorArray.class, initArgs = @ResourceArg(name = "portals", value = "4"))
class CliEndToEndTest {

    private static final long SETTLE_MILLIS = 30_000;

    @TestHTTPResource("/")
    URL root;

    private MainUsageTest.Result run(String... args) {
        return MainUsageTest.run(Map.of("MPATHGW_URL", root.toString().replaceAll("/$", ""), "MPATHGW_USER", Admin.USER,
                "MPATHGW_PASSWORD", Admin.PASSWORD, "MPATHGW_DATA_DIR", "/nonexistent"), args);
    }

    /** Runs the command until its output satisfies {@code done} (the daemon discovers and checks asynchronously). */
    private MainUsageTest.Result await(Predicate<String> done, String... args) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        MainUsageTest.Result r = run(args);
        while (!done.test(r.out()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            r = run(args);
        }
        return r;
    }

    @Test
    void multipathLlShowsTwoGroupsAndFailPathShowsInDmsetupStatus() throws InterruptedException {
        MainUsageTest.Result ll = await(out -> out.lines().filter(l -> l.endsWith("active ready running")).count() == 4,
                "multipath", "-ll");
        assertThat(ll.exit()).as(ll.err()).isZero();
        List<String> lines = ll.out().lines().toList();
        assertThat(lines.get(0)).matches("mpatha \\(3[0-9a-f]+\\) dm-\\d+ \\S.*,\\S.*");
        assertThat(lines.get(1)).startsWith("size=16M features='").contains(" hwhandler='1 alua' wp=rw");
        // PG 1 becomes active with the map's first I/O (the kernel's current_pg); nothing has read the map yet
        assertThat(lines.get(2)).matches("\\|-\\+- policy='service-time 0' prio=50 status=(active|enabled)");
        assertThat(lines.get(5)).matches("`-\\+- policy='service-time 0' prio=10 status=enabled");
        assertThat(lines).hasSize(8);
        for (int i : new int[] {3, 4, 6, 7})
            assertThat(lines.get(i)).matches("(\\| [|`]|  [|`])- \\d+:\\d+:\\d+:\\d+ +sd[a-z]+ +\\d+:\\d+ +active ready running");

        String status = run("dmsetup", "status", "mpatha").out();
        String[] firstPath = lines.get(3).substring(5).trim().split(" +");       // hcil dev dev_t ...
        String dev = firstPath[1], devT = firstPath[2];
        assertThat(status).contains(" " + devT + " A ");

        MainUsageTest.Result fail = run("multipathd", "fail", "path", dev);
        assertThat(fail.out()).as(fail.err()).isEqualTo("ok\n");
        String failed = run("dmsetup", "status", "mpatha").out();
        assertThat(failed).contains(" " + devT + " F ").doesNotContain(" " + devT + " A ");
        assertThat(run("multipathd", "show", "paths", "raw", "format", "%d %t").out().lines())
                .contains(dev + " failed");

        assertThat(run("multipathd", "reinstate", "path", dev).out()).isEqualTo("ok\n");
        String back = await(out -> out.contains(" " + devT + " A "), "dmsetup", "status", "mpatha").out();
        assertThat(back).contains(" " + devT + " A ");
        assertThat(Arrays.asList(run("dmsetup", "table").out().split("\n"))).anyMatch(l -> l.startsWith("mpatha: 0 32768 multipath "));
    }
}
