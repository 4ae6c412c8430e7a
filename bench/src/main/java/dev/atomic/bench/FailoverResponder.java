package dev.atomic.bench;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The failover benchmark's service: answers each numbered request with itself, at once, on its lane thread, and
 * notes every request it answered in {@link FailoverLedger.Answers} — a reply counts as committed once the handler
 * returned it, since the SDK then writes it to the lane, waiting for room if need be, and never drops one. Once the
 * harness asks for them ({@link FailoverSystem#REPORT_FILE} in its state directory: the caller has reported) and no
 * request came for a while, the books go to {@link #RESULT_FILE} there.
 */
public final class FailoverResponder implements Component {
    static final String RESULT_FILE = "responder.result";
    /** With the caller done, this long without a request means none is coming (late copies included). */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final List<FailoverLedger.Answers> books = new ArrayList<>();
    private volatile long lastRequest = System.nanoTime();
    private PrintStream log;
    private Path dir;

    @Override
    public void init(ComponentContext context) throws IOException {
        log = context.log();
        dir = Path.of(System.getenv("ATOMIC_STATE_DIR"));
        for (int t = 0; t < FailoverSystem.CALLERS; t++) {
            books.add(new FailoverLedger.Answers());
        }
        ServiceHandler echo = (method, request) -> {
            ByteBuffer b = ByteBuffer.wrap(request);
            int thread = b.getInt(0);
            if (request.length == 12 && thread >= 0 && thread < books.size()) {
                synchronized (books) {
                    books.get(thread).answered(b.getLong(4));
                }
            }
            lastRequest = System.nanoTime();
            return request;
        };
        context.provideInline(FailoverSystem.SERVICE, echo);
    }

    @Override
    public void start() {
        Thread.ofPlatform().daemon().name("books").start(this::report);
    }

    private void report() {
        try {
            while (!Files.exists(dir.resolve(FailoverSystem.REPORT_FILE))
                    || System.nanoTime() - lastRequest < QUIET_NANOS) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            String text;
            synchronized (books) {
                text = FailoverLedger.encodeAnswers(books);
            }
            Path partial = dir.resolve(RESULT_FILE + ".partial");
            Files.writeString(partial, text);
            Files.move(partial, dir.resolve(RESULT_FILE), StandardCopyOption.ATOMIC_MOVE);
            log.println("responder: done");
        } catch (InterruptedException | IOException e) {
            log.println("responder: could not report: " + e);
        }
    }
}
