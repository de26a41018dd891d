package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.BlockDevice;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real device that also notes every request other than a plain read or write, as the export handed it down. */
final class RecordingBlockDevice implements BlockDevice {

    final BlockDevice device;
    final List<String> calls = new CopyOnWriteArrayList<>();

    RecordingBlockDevice(BlockDevice device) {
        this.device = device;
    }

    @Override
    public int blockSize() {
        return device.blockSize();
    }

    @Override
    public long blockCount() {
        return device.blockCount();
    }

    @Override
    public boolean unmapSupported() {
        return device.unmapSupported();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        return device.read(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        if (fua) calls.add("write fua " + lba + " " + data.readableBytes() / blockSize());
        return device.write(lba, data, fua);
    }

    @Override
    public CompletableFuture<Void> flush() {
        calls.add("flush");
        return device.flush();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        calls.add("unmap " + lba + " " + blocks);
        return device.unmap(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
        calls.add("writeSame " + lba + " " + blocks + (unmap ? " unmap" : " no-unmap"));
        return device.writeSame(lba, blocks, block, unmap);
    }
}
