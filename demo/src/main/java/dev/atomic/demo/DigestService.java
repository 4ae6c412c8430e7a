package dev.atomic.demo;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default system's on-demand service (docs/manifest.md, On demand): not started at boot; demo-app's first call
 * starts it, and between its calls it is frozen, using no CPU.
 */
public final class DigestService implements Component, Digest {
    @Override
    public void init(ComponentContext context) {
        context.provide(Digest.class, this);
        context.log().println("digest: serving (started on demand)");
    }

    @Override
    public String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
