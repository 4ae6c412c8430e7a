package dev.atomic.drivers.fs;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.FuseSession;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The FUSE file system driver as a component of the Drivers &amp; Apps kernel: it serves the directory tree
 * {@value #TREE} of its state directory at the mount its manifest asks the Sovereign for
 * ({@code [sandbox] fuse-mount}), through the session the Sovereign owns. Killed, it is restarted by the Engine;
 * the mount stays, and the new incarnation takes the same session over and answers what the old one left
 * unanswered.
 */
public final class FsDriver implements Component {
    /** The served tree's directory in the state directory. */
    static final String TREE = "tree";
    /** The node table's journal in the state directory. */
    static final String NODES = "nodes.journal";

    private ComponentContext context;
    private Served served;

    /** What one session is served with. */
    record Served(FuseSession session, Tree tree, FuseServer server) {
        /** Opens the tree in {@code state} for {@code session}, its node table that of the session's earlier drivers. */
        static Served open(FuseSession session, Path state, PrintStream log) throws IOException {
            Path root = state.resolve(TREE);
            Files.createDirectories(root);
            NodeTable nodes = NodeTable.open(state.resolve(NODES), session.id());
            Tree tree = new Tree(root, nodes);
            return new Served(session, tree, new FuseServer(session.fd(), tree, log));
        }
    }

    @Override
    public void init(ComponentContext context) throws IOException {
        this.context = context;
        String state = System.getenv("ATOMIC_STATE_DIR");
        if (state == null) {
            throw new IllegalStateException("fs: no state directory (ATOMIC_STATE_DIR): it serves a tree kept there");
        }
        served = Served.open(FuseSession.take(Path.of(state)), Path.of(state), context.log());
        context.log().println("fs: took over FUSE session " + Long.toHexString(served.session().id()) + " with "
                + served.tree().nodeCount() + " node(s) known; "
                + (served.server().requestResend() ? "asked the kernel to resend what is unanswered"
                : "the kernel cannot resend (before Linux 6.9): a request a dead driver read is never answered"));
    }

    @Override
    public void start() {
        Thread t = new Thread(this::serve, "fuse");
        t.setDaemon(true);
        t.start();
    }

    private void serve() {
        try {
            served.server().serve();
        } catch (IOException | RuntimeException e) {
            context.exit("fs: serving the FUSE session failed: " + e);
        }
    }
}
