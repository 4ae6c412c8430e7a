package dev.atomic.sovereign;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import org.agrona.DirectBuffer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Sovereign as the console service's client, for the {@code atomic} command, which is no component
 * (docs/console.md): a control-socket request {@code console <method> <request>} becomes a CONSOLE_REQUEST order,
 * which the Engine delivers to the console service and audits, and the console's answer comes back on the admin
 * lane as CONSOLE_REPLY. The Sovereign knows no method of the console but the one it asks at boot.
 */
final class ConsoleClient {
    /** {@code status()} in console.kabi: what the boot asks, to time the console's first answer. */
    static final int STATUS = 1;
    /** The Engine answers within 5 s, or says the console did not; a little more for an Engine being replaced. */
    private static final long WAIT_SECONDS = 7;

    record Answer(boolean ok, String text) {
    }

    interface Orders {
        void order(int type, int slot, int status, long correlation, String text);
    }

    private final Orders orders;
    private final Map<Long, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    ConsoleClient(Orders orders) {
        this.orders = orders;
    }

    CompletableFuture<Answer> ask(int method, String request) {
        long id = ids.incrementAndGet();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        orders.order(FrameType.CONSOLE_REQUEST, -1, method, id, request);
        return answer;
    }

    /** Serves {@code console <method> [request]} of the control socket: "ok" or "error", then the answer's lines. */
    void serve(String words, java.util.function.Consumer<String> reply) throws InterruptedException {
        String[] parts = words.split(" ", 2);
        if (!parts[0].matches("\\d{1,5}")) {
            reply.accept("error");
            reply.accept("expected: console <method id> [request], not 'console " + words + "'");
            return;
        }
        CompletableFuture<Answer> pending = ask(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
        Answer answer;
        try {
            answer = pending.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            answer = new Answer(false, "no answer from the Engine within " + WAIT_SECONDS + " s");
        }
        reply.accept(answer.ok() ? "ok" : "error");
        answer.text().lines().forEach(reply);
    }

    /** A CONSOLE_REPLY from the Engine. */
    void answered(DirectBuffer b, int index) {
        CompletableFuture<Answer> answer = waiting.remove(Frame.correlation(b, index));
        if (answer != null) {
            answer.complete(new Answer(Frame.status(b, index) == 1, Frame.payloadText(b, index)));
        }
    }
}
