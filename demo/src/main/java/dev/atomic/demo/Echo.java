package dev.atomic.demo;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.kabi.Method;
import dev.atomic.component.kabi.Service;

/** The echo service's interface (docs/kabi.md): version 1, one method. */
@Service(name = "echo", version = 1)
public interface Echo {
    int UPPERCASE = 1;

    /** The text in upper case. */
    @Method(id = UPPERCASE)
    String upper(String text) throws CallFailedException;
}
