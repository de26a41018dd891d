package io.mpathgw.dm.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Tests' way to read or change a map from outside: its state belongs to its map thread. */
public final class MapThreadCall {

    private MapThreadCall() {
    }

    /** Runs {@code s} on {@code thread} and waits up to 5 s for what it returns or throws. */
    public static <T> T onMap(MapThread thread, Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                f.complete(s.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }
}
