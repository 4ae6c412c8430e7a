package dev.atomic.component;

import java.time.Duration;

/** Calls one service through the Engine. Thread-safe. */
public final class ServiceClient {
    private final ComponentHost host;
    private final String service;
    private final int serviceId;
    private final int version;

    ServiceClient(ComponentHost host, String service, int serviceId, int version) {
        this.host = host;
        this.service = service;
        this.serviceId = serviceId;
        this.version = version;
    }

    public String service() {
        return service;
    }

    /** The interface version the Engine bound this client at: the highest both it and the provider support. */
    public int version() {
        return version;
    }

    /**
     * Sends a request and waits for its reply; the timeout is also the deadline the Engine enforces. Fails at once
     * while the service is down (docs/bridge-protocol.md, SERVICE_DOWN), naming its provider and why.
     */
    public byte[] call(int method, byte[] request, Duration timeout) throws CallFailedException {
        return host.call(service, serviceId, method, request, timeout, false, 0);
    }

    /**
     * A call to a method declared idempotent (docs/kabi.md): should the provider die while it is under way, the
     * Engine replays it to the restarted provider, within the timeout, instead of failing it.
     */
    public byte[] callIdempotent(int method, byte[] request, Duration timeout) throws CallFailedException {
        return host.call(service, serviceId, method, request, timeout, false, dev.atomic.bridge.Frame.FLAG_IDEMPOTENT);
    }

    /**
     * Sends a request without waiting for it: the future completes with the reply, or fails with a
     * {@link CallFailedException} saying why (refused, the provider died, the deadline passed). The only way to call
     * a service of a lower kernel (a Services component ordering a driver): strict layering refuses a blocking call
     * downward. What is chained to the future without an executor runs on the lane thread: keep it quick.
     */
    public java.util.concurrent.CompletableFuture<byte[]> callAsync(int method, byte[] request, Duration timeout) {
        return host.callAsync(service, serviceId, method, request, timeout);
    }

    /**
     * A one-way event: no reply. While this component sends slowly it is delivered at once; when it is busy it is
     * merged with its newer events of the same method within the window the Engine sets (here, before it reaches the
     * lane), and the Engine may coalesce it further. False when the lane is full (back-pressure); a merged event is
     * always taken.
     */
    public boolean emit(int method, byte[] event) {
        return host.emit(serviceId, method, event, false);
    }

    /** An event on the critical lane: never coalesced, never behind bulk data. */
    public boolean emitCritical(int method, byte[] event) {
        return host.emit(serviceId, method, event, true);
    }

    /**
     * A call on the critical lane, for input-like work: served before every request and transfer lane, never
     * coalesced, never behind bulk data. Never takes a fast path.
     */
    public byte[] callCritical(int method, byte[] request, Duration timeout) throws CallFailedException {
        return host.call(service, serviceId, method, request, timeout, true, 0);
    }

    /**
     * Zero-copy: {@code fill} writes {@code length} bytes straight into a buffer of the pool this component shares
     * with the provider, which reads them in place. Only the 16-byte reference crosses the Engine. Needs a pool for
     * this service in the system spec.
     */
    public byte[] callPooled(int method, int length, java.util.function.Consumer<java.lang.foreign.MemorySegment> fill,
                             Duration timeout) throws CallFailedException {
        return host.callPooled(service, serviceId, method, length, fill, timeout);
    }
}
