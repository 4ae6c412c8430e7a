package dev.atomic.demo;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.kabi.Method;
import dev.atomic.component.kabi.Service;

/** The digest service's interface (digest.kabi): the default system's on-demand service. */
@Service(name = "digest", version = 1)
public interface Digest {
    /** The SHA-256 of the text's UTF-8 bytes, in hex. */
    @Method(id = 1, idempotent = true)
    String sha256(String text) throws CallFailedException;
}
