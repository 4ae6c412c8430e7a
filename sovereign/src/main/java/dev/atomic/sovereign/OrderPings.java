package dev.atomic.sovereign;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * How long the Engine takes to serve an order of the Sovereign, on the auto-recovery lane every order takes: an
 * ORDER_PING carries its send time, the Engine answers it the moment it reads it, with the time it did. Asked through
 * the control socket ({@code order-ping}), so that a storm's effect on recovery orders can be measured from outside.
 */
final class OrderPings {
    /** @param servedNanos from the order's send to the Engine reading it; answeredNanos: to its answer read back */
    record Timing(long servedNanos, long answeredNanos) {
        String line() {
            return "order served in " + servedNanos + " ns, answered in " + answeredNanos + " ns";
        }
    }

    private final ConcurrentHashMap<Long, CompletableFuture<Timing>> waiting = new ConcurrentHashMap<>();
    /** Send times double as correlation ids: strictly increasing, so two pings never share one. */
    private final AtomicLong lastSent = new AtomicLong();

    /** Sends a ping with {@code send} (its argument the correlation id) and waits for its answer. */
    Optional<Timing> ping(LongConsumer send, Duration timeout) throws InterruptedException {
        long sent = lastSent.updateAndGet(last -> Math.max(last + 1, System.nanoTime()));
        CompletableFuture<Timing> answer = new CompletableFuture<>();
        waiting.put(sent, answer);
        try {
            send.accept(sent);
            return Optional.of(answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            waiting.remove(sent);
        }
    }

    /** The Engine's answer to the ping sent at {@code sent}, served at {@code served} (both nanoTime). */
    void answered(long sent, long served) {
        CompletableFuture<Timing> answer = waiting.get(sent);
        if (answer != null) {
            answer.complete(new Timing(served - sent, System.nanoTime() - sent));
        }
    }
}
