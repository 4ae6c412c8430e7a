package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;

import java.util.Set;

/**
 * A policy that judges the system's components only: the Engine's own process (observed as {@code engine}) has no
 * tier to choose and no size a policy may set.
 */
final class ForMembers implements Policy {
    private final Policy policy;
    private final Set<String> members;

    ForMembers(Policy policy, Set<String> members) {
        this.policy = policy;
        this.members = Set.copyOf(members);
    }

    @Override
    public String name() {
        return policy.name();
    }

    @Override
    public void observe(Observation o) {
        if (members.contains(o.component())) {
            policy.observe(o);
        }
    }

    @Override
    public Decision decide(long nowMillis) {
        return policy.decide(nowMillis);
    }
}
