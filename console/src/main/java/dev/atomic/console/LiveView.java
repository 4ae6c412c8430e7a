package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atomic.console.service.Console;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code atomic boot} shows on a terminal once the system is ready: the console service's live view
 * ({@code atomic top}) pinned to the bottom rows, refreshed every second, while the log goes on scrolling above it —
 * an ANSI scroll region, since the Engine writes to the same terminal itself. Off a terminal the log stays line by
 * line.
 */
final class LiveView implements AutoCloseable {
    private static final String ESC = "\u001b[";
    private static final String READY = "ready in ";

    private final PrintStream terminal;
    private final Path socket;
    private final String instance;
    private final int rows;
    private volatile Thread thread;
    private int height;

    LiveView(PrintStream terminal, Path socket, String instance) {
        this.terminal = terminal;
        this.socket = socket;
        this.instance = instance;
        this.rows = rows();
    }

    /** Whether standard output is a terminal, and the boot runs until Ctrl-C: a live view is wanted. */
    static boolean wanted(boolean stopsByItself) {
        return !stopsByItself && terminal();
    }

    /** Whether standard input and output are a terminal (since JDK 22 there is a Console either way). */
    static boolean terminal() {
        return System.console() != null && System.console().isTerminal();
    }

    /**
     * The stream the Sovereign writes its report to: the terminal's, watched for the line that says the system is
     * ready, which starts the view.
     */
    PrintStream watching() {
        LiveView view = this;
        return new PrintStream(new FilterOutputStream(terminal) {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                if (b == '\n') {
                    if (line.toString().startsWith(READY)) {
                        view.start();
                    }
                    line.setLength(0);
                } else if (line.length() < READY.length()) {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    private synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("live-view").start(this::refresh);
        }
    }

    private void refresh() {
        while (thread != null) {
            try {
                ConsoleCommand.Answer answer = ConsoleCommand.ask(socket, "console " + Console.TOP);
                if (answer.ok()) {
                    draw(TopCommand.table(instance, answer.tree()).lines().toList());
                }
                TimeUnit.SECONDS.sleep(1);
            } catch (IOException | RuntimeException e) {
                return; // the instance is going away: the log says why
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The first time, makes room at the bottom and sets the scroll region above it; then rewrites the rows. */
    private synchronized void draw(List<String> lines) {
        if (thread == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        int h = Math.min(lines.size() + 1, rows / 2);
        if (h != height) {
            out.append("\n".repeat(h)).append(ESC).append("1;").append(rows - h).append('r')
                    .append(ESC).append(rows - h).append(";1H");
            height = h;
        }
        out.append("\u001b7");
        out.append(ESC).append(rows - h + 1).append(";1H").append(ESC).append("2K").append("─".repeat(40));
        for (int i = 0; i < h - 1; i++) {
            out.append(ESC).append(rows - h + 2 + i).append(";1H").append(ESC).append("2K").append(lines.get(i));
        }
        out.append("\u001b8");
        terminal.print(out);
        terminal.flush();
    }

    /** Gives the whole terminal back to the log. */
    @Override
    public synchronized void close() {
        thread = null;
        if (height > 0) {
            terminal.print(ESC + "r" + ESC + rows + ";1H\n");
            terminal.flush();
            height = 0;
        }
    }

    /** The terminal's height, as stty tells it; 24 when it cannot. */
    private static int rows() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
            String[] size = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
            return p.waitFor() == 0 && size.length == 2 ? Math.max(10, Integer.parseInt(size[0])) : 24;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 24;
        }
    }
}
