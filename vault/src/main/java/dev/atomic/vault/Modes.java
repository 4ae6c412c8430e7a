package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Unix modes as numbers ({@code 0644}), because that is how people read and write them. */
final class Modes {

    static final int READ_ONLY_FILE = 0444;
    static final int READ_ONLY_DIR = 0555;
    static final int OWNER_WRITE = 0200;
    static final int GROUP_OR_OTHER_WRITE = 0022;
    static final int STICKY = 01000;

    private Modes() {
    }

    /** Permission, setuid/setgid and sticky bits of {@code p} itself (a symbolic link is not followed). */
    static int of(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static int owner(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Sets the mode exactly (chmod), whatever the umask. */
    static void set(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode);
    }

    /** The mode a file gets in a release: 0755 if its owner may execute it, else 0644. */
    static int forRelease(Path p) throws IOException {
        return (of(p) & 0100) != 0 ? 0755 : 0644;
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
