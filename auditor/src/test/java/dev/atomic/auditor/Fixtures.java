package dev.atomic.auditor;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The recorded and described hosts under src/test/resources/hosts. */
final class Fixtures {

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Fixtures() {
    }

    static HostView host(String name) {
        try {
            return HostView.fixture(Path.of(Fixtures.class.getResource("/hosts/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static HostReport audit(String name) {
        return Auditor.audit(host(name));
    }
}
