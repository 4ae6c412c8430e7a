package dev.atomic.engine;

import dev.atomic.component.Tripwires;
import dev.atomic.system.Fanotify;
import dev.atomic.system.PidFd;
import dev.atomic.system.SyscallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Decides the opens of the sandboxes' decoys ({@link Tripwires}): each is refused (EPERM), and queued for the duty
 * cycle to audit and report. The fanotify group is the Sovereign's; the active Engine answers it from a copy, on a
 * thread of its own, since the opener waits for the answer.
 */
final class PathTraps implements AutoCloseable {

    /** A decoy opened by a component, refused. */
    record Tripped(Tripwires.Tripped what, long pid, long decideNanos) {
    }

    /** Held back when the duty cycle falls behind: the opener's next attempt waits with it, nobody else does. */
    private static final int QUEUED = 1024;

    private final BlockingQueue<Tripped> tripped = new ArrayBlockingQueue<>(QUEUED);
    private final Path decoys;
    private final Runnable onTripped;
    private Map<Object, Tripwires.Tripped> index = Map.of();
    private Fanotify group;

    /**
     * @param decoys    the instance's tripwire directory
     * @param onTripped run on the deciding thread after a refusal was queued: wakes a sleeping Engine
     */
    PathTraps(Path decoys, Runnable onTripped) {
        this.decoys = decoys;
        this.onTripped = onTripped;
    }

    /**
     * Starts answering the Sovereign's group, {@code fd} in process {@code sovereign}; why it could not, else empty
     * (also when there is no group: {@code fd} 0).
     */
    Optional<String> start(long sovereign, int fd) {
        if (fd <= 0) {
            return Optional.empty();
        }
        try (PidFd pidFd = PidFd.open(sovereign)) {
            group = Fanotify.of(pidFd.takeFd(fd));
        } catch (SyscallException e) {
            return Optional.of("could not take the tripwires' fanotify group from the Sovereign (" + e.getMessage()
                    + "): opens of the sandboxes' decoys wait unanswered");
        }
        Fanotify serving = group;
        Thread.ofPlatform().name("engine-tripwires").daemon().start(() -> serving.serve(open -> {
            long received = System.nanoTime();
            Optional<Tripwires.Tripped> what = decoy(open);
            if (what.isEmpty()) {
                return false; // watched, so a decoy, but not one of this instance's known ones: refused unreported
            }
            try {
                tripped.put(new Tripped(what.get(), open.pid(), System.nanoTime() - received));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                serving.stop();
            }
            onTripped.run();
            return false;
        }));
        return Optional.empty();
    }

    /** The decoy opened, by its inode; the index is read again when a decoy made since is opened. */
    private Optional<Tripwires.Tripped> decoy(Fanotify.Open open) {
        try {
            Object key = Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(open.fd())),
                    BasicFileAttributes.class).fileKey();
            if (!index.containsKey(key)) {
                index = Tripwires.index(decoys);
            }
            return Optional.ofNullable(index.get(key));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Up to {@code max} refusals since the last call, oldest first. */
    void drain(int max, Consumer<Tripped> to) {
        for (Tripped t; max-- > 0 && (t = tripped.poll()) != null; ) {
            to.accept(t);
        }
    }

    @Override
    public void close() {
        if (group != null) {
            group.close();
        }
    }
}
