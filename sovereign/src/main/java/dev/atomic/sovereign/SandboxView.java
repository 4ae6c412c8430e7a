package dev.atomic.sovereign;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a sandboxed component sees of the host's files, as bubblewrap arguments. Every path keeps its host name, so a
 * class path means the same inside and out; a symbolic link on the way to one ({@code /lib64 -> usr/lib64}) is made
 * again inside, so the dynamic loader finds what it looks for.
 */
final class SandboxView {
    private static final List<String> SYSTEM_LIBRARY_DIRS = List.of("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/");
    private static final int PT_INTERP = 3;
    /** {@code libx.so.2.5.4}: its soname link is {@code libx.so.2}. */
    private static final java.util.regex.Pattern SONAME = java.util.regex.Pattern.compile("(.*\\.so\\.[0-9]+)\\.[0-9.]+");

    private final List<String> args = new ArrayList<>();
    private final Set<Path> made = new HashSet<>();

    private SandboxView() {
    }

    private SandboxView(SandboxView base) {
        args.addAll(base.args);
        made.addAll(base.made);
    }

    /**
     * What every JVM needs, read-only: the JDK, the C library it links against (the files this JVM has mapped from
     * the system's library directories, and the dynamic loader {@code java} names), and the time zone.
     */
    static SandboxView jvm(Path javaHome, Path java) throws IOException {
        SandboxView view = new SandboxView();
        view.readOnly(javaHome);
        Set<Path> libraries = new LinkedHashSet<>();
        libraries.add(interpreter(java));
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash > 0) {
                String file = line.substring(slash);
                if (SYSTEM_LIBRARY_DIRS.stream().anyMatch(file::startsWith) && !Path.of(file).startsWith(javaHome)
                        && file.matches(".*/[^/]+\\.so(\\.[0-9.]+)?") && Files.isRegularFile(Path.of(file))) {
                    libraries.add(Path.of(file));
                    // A library opened by name at run time (libseccomp.so.2) is looked up by its soname link.
                    java.util.regex.Matcher soname = SONAME.matcher(file);
                    if (soname.matches() && Files.exists(Path.of(soname.group(1)))) {
                        libraries.add(Path.of(soname.group(1)));
                    }
                }
            }
        }
        for (Path library : libraries) {
            view.readOnly(library);
        }
        Path localTime = Path.of("/etc/localtime");
        if (Files.exists(localTime)) {
            view.readOnly(localTime);
        }
        return view;
    }

    /** A copy to add a component's own paths to. */
    SandboxView copy() {
        return new SandboxView(this);
    }

    SandboxView readOnly(Path path) throws IOException {
        expose(path.toAbsolutePath().normalize(), "--ro-bind");
        return this;
    }

    SandboxView writable(Path path) throws IOException {
        expose(path.toAbsolutePath().normalize(), "--bind");
        return this;
    }

    /** Shows {@code decoy} at {@code target}, writable so that an open for writing reaches its tripwire. */
    SandboxView decoy(Path decoy, Path target) {
        return bind(decoy, target);
    }

    /** Shows {@code source}, writable, at {@code target}: a decoy, or a FUSE mount the component is granted. */
    SandboxView bind(Path source, Path target) {
        if (made.add(target)) {
            args.addAll(List.of("--bind", source.toString(), target.toString()));
        }
        return this;
    }

    List<String> args() {
        return List.copyOf(args);
    }

    /** Binds {@code path}, making each symbolic link on the way to it again inside, and then what it points to. */
    private void expose(Path path, String bind) throws IOException {
        Path at = path.getRoot();
        for (int i = 0; i < path.getNameCount(); i++) {
            at = at.resolve(path.getName(i));
            if (Files.isSymbolicLink(at)) {
                Path target = Files.readSymbolicLink(at);
                if (made.add(at)) {
                    args.addAll(List.of("--symlink", target.toString(), at.toString()));
                }
                Path rest = i + 1 < path.getNameCount() ? path.subpath(i + 1, path.getNameCount()) : Path.of("");
                expose(at.getParent().resolve(target).resolve(rest).normalize(), bind);
                return;
            }
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot show " + path + " in the sandbox: it does not exist");
        }
        if (made.add(path)) {
            args.addAll(List.of(bind, path.toString(), path.toString()));
        }
    }

    /** The dynamic loader an ELF executable names (PT_INTERP), which the kernel opens by that very path. */
    static Path interpreter(Path elf) throws IOException {
        try (FileChannel f = FileChannel.open(elf)) {
            ByteBuffer header = read(f, 0, 64);
            if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
                throw new IOException(elf + " is not a 64-bit little-endian ELF executable");
            }
            long phoff = header.getLong(0x20);
            int phentsize = Short.toUnsignedInt(header.getShort(0x36));
            int phnum = Short.toUnsignedInt(header.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(f, phoff + (long) i * phentsize, 56);
                if (ph.getInt(0) == PT_INTERP) {
                    ByteBuffer name = read(f, ph.getLong(8), Math.toIntExact(ph.getLong(0x20)));
                    String path = StandardCharsets.UTF_8.decode(name).toString();
                    return Path.of(path.substring(0, path.indexOf('\0') < 0 ? path.length() : path.indexOf('\0')));
                }
            }
            throw new IOException(elf + " names no dynamic loader (statically linked?)");
        }
    }

    private static ByteBuffer read(FileChannel f, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (f.read(b, at + b.position()) < 0) {
                throw new IOException("ELF file ends early");
            }
        }
        return b.flip();
    }
}
