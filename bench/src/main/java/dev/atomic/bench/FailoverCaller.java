package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The failover benchmark's steady traffic: {@link FailoverSystem#CALLERS} threads, each calling the responder back to
 * back with no pause, every request numbered (thread, sequence). Each call's outcome goes into the thread's
 * {@link FailoverLedger.Calls}. When the harness drops {@link FailoverSystem#STOP_FILE} in its state directory (the
 * one place of the host a sandboxed component sees), every thread finishes its call under way, and the books go to
 * {@link #RESULT_FILE} there.
 */
public final class FailoverCaller implements Component {
    static final String RESULT_FILE = "caller.result";
    private static final int FAILURES_LOGGED = 20;

    private ServiceClient seq;
    private PrintStream log;
    private Path dir;
    private volatile boolean stopping;
    private int failuresLogged;

    @Override
    public void init(ComponentContext context) throws IOException {
        seq = context.client(FailoverSystem.SERVICE);
        log = context.log();
        dir = Path.of(System.getenv("ATOMIC_STATE_DIR"));
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("books").start(this::run);
    }

    private void run() {
        FailoverLedger.Calls[] books = new FailoverLedger.Calls[FailoverSystem.CALLERS];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < books.length; t++) {
            books[t] = new FailoverLedger.Calls();
            int thread = t;
            threads.add(Thread.ofPlatform().name("caller-" + t).start(() -> callBackToBack(thread, books[thread])));
        }
        try {
            while (!Files.exists(dir.resolve(FailoverSystem.STOP_FILE))) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            stopping = true;
            for (Thread t : threads) {
                t.join();
            }
            Path partial = dir.resolve(RESULT_FILE + ".partial");
            Files.writeString(partial, FailoverLedger.encodeCalls(Arrays.asList(books)));
            Files.move(partial, dir.resolve(RESULT_FILE), StandardCopyOption.ATOMIC_MOVE);
            log.println("caller: done");
        } catch (InterruptedException | IOException e) {
            log.println("caller: could not report: " + e);
        }
    }

    private void callBackToBack(int thread, FailoverLedger.Calls books) {
        ByteBuffer request = ByteBuffer.allocate(12);
        for (long n = 0; !stopping; n++) {
            request.putInt(0, thread).putLong(4, n);
            long start = System.nanoTime();
            try {
                byte[] reply = seq.call(FailoverSystem.ECHO, request.array(), FailoverSystem.TIMEOUT);
                books.replied(n, Arrays.equals(reply, request.array()));
            } catch (CallFailedException e) {
                boolean clean = System.nanoTime() - start < FailoverSystem.TIMEOUT.toNanos();
                books.failed(n, clean);
                synchronized (this) {
                    if (failuresLogged++ < FAILURES_LOGGED) {
                        log.println("caller: call " + thread + "/" + n + (clean ? " failed: " : " LOST: ")
                                + e.getMessage());
                    }
                }
            }
        }
    }
}
