package dev.atomic.component;

/**
 * A buffer pool for zero-copy calls from {@code caller} to {@code service}: {@code buffers} buffers of
 * {@code bufferSize} bytes, shared only by the caller and the service's provider.
 */
public record PoolSpec(String caller, String service, int buffers, int bufferSize) {
    public PoolSpec {
        if (buffers < 1 || buffers > 4096) {
            throw new IllegalArgumentException("a pool has 1 to 4096 buffers, not " + buffers);
        }
        if (bufferSize < 64 || Integer.bitCount(bufferSize) != 1 || bufferSize > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("pool buffers are a power of two from 64 B to 64 MiB, not " + bufferSize);
        }
    }
}
