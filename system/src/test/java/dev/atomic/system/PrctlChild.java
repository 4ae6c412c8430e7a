package dev.atomic.system;

/** Child side of {@link PrctlTest}: no_new_privs cannot be undone, so it is set in a JVM of its own. */
public final class PrctlChild {
    private PrctlChild() {
    }

    public static void main(String[] args) {
        boolean before = Prctl.noNewPrivs();
        Prctl.setNoNewPrivs();
        System.out.println(before + " " + Prctl.noNewPrivs());
    }
}
