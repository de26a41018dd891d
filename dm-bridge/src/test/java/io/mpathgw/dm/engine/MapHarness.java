package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;

import java.util.ArrayList;
import java.util.List;

/** One map on a virtual thread with scripted paths and a captured kernel log, for engine unit tests. */
final class MapHarness {

    final VirtualMapThread thread = new VirtualMapThread();
    final ScriptedPathIo paths = new ScriptedPathIo(thread);
    final List<String> log = new ArrayList<>();
    final List<Integer> activationResults = new ArrayList<>();
    final List<String> activated = new ArrayList<>();
    final MultipathDevice map;

    /** Activations answer with the scripted results in turn (then OK), each after 5 virtual ms. */
    MapHarness(String params, Integer... results) throws TableException {
        activationResults.addAll(List.of(results));
        map = MultipathDevice.builder("mpatha", 2097152, MultipathTable.parse(params))
                .devName("253:0").thread(thread).pathIo(paths).log(log::add)
                .activator((p, done) -> {
                    activated.add(p.name());
                    int code = activationResults.isEmpty() ? ScsiDh.OK : activationResults.remove(0);
                    thread.schedule(() -> done.accept(code), 5);
                })
                .build();
    }

    /** Submits one 4 KiB read and runs the map until it completes (or 30 virtual seconds pass). */
    TestRequest read() {
        TestRequest rq = submit();
        thread.runUntil(rq::done, 30_000);
        return rq;
    }

    TestRequest submit() {
        TestRequest rq = new TestRequest(4096);
        map.submit(rq);
        return rq;
    }

    void message(String text) throws MessageException {
        map.message(0, text);
        thread.runUntil(() -> false, 0);
    }

    String status() {
        return map.status();
    }
}
