package io.mpathgw.dm.engine;

/** A read of {@code nrBytes} that remembers how it ended. */
final class TestRequest implements MapRequest {

    private final long nrBytes;
    private BlkStatus status;
    private int completions;

    TestRequest(long nrBytes) {
        this.nrBytes = nrBytes;
    }

    @Override
    public long nrBytes() {
        return nrBytes;
    }

    @Override
    public void complete(BlkStatus s) {
        status = s;
        completions++;
        if (completions > 1) throw new AssertionError("request completed twice: " + s);
    }

    boolean done() {
        return status != null;
    }

    BlkStatus status() {
        return status;
    }
}
