package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TierPolicyTest {
    /** Says what it is given, one round at a time. */
    private record Scripted(Deque<List<Recommendation>> rounds) implements Policy {
        @Override
        public String name() {
            return "tier";
        }

        @Override
        public void observe(Observation o) {
        }

        @Override
        public Decision decide(long nowMillis) {
            return Decision.recommend(rounds.isEmpty() ? List.of() : rounds.removeFirst());
        }
    }

    private static Recommendation said(Recommendation.Action action, String why) {
        return new Recommendation("echo", action, 1, why, "tier");
    }

    @Test
    void aDemotionIsSetAndRefreshedUntilAPromotionLiftsItAndAFirstPromotionSetsNothing() {
        Deque<List<Recommendation>> rounds = new ArrayDeque<>(List.of(
                List.of(said(Recommendation.Action.PROMOTE, "60 s without a restart or a fault")),
                List.of(said(Recommendation.Action.DEMOTE, "it restarted")), List.of(),
                List.of(said(Recommendation.Action.PROMOTE, "60 s clean again")), List.of()));
        TierPolicy policy = new TierPolicy(new Scripted(rounds), EngineTunables.OUT_OF_TIER_1);
        assertEquals(List.of(), policy.decide(1).settings(), "more trust than the manifest's is never set");
        Decision demoted = policy.decide(2);
        assertEquals(List.of(new Decision.Setting("tier.echo", -2, "demoted: it restarted")), demoted.settings());
        assertEquals(Recommendation.Action.DEMOTE, demoted.recommendations().getFirst().action(), "the advice too");
        assertEquals(demoted.settings(), policy.decide(3).settings(), "refreshed while it stands");
        assertEquals(List.of(new Decision.Setting("tier.echo", 0, "its demotion lifted: 60 s clean again")),
                policy.decide(4).settings());
        assertEquals(List.of(), policy.decide(5).settings());
    }

    @Test
    void anEarnedTier1IsHeldOutUntilPromotedThenItsPromotionIsRefreshedUntilADemotion() {
        Deque<List<Recommendation>> rounds = new ArrayDeque<>(List.of(List.of(),
                List.of(said(Recommendation.Action.PROMOTE, "60 s without a restart or a fault")), List.of(),
                List.of(said(Recommendation.Action.DEMOTE, "it restarted"))));
        TierPolicy policy = new TierPolicy(new Scripted(rounds), EngineTunables.OUT_OF_TIER_1,
                java.util.Set.of("echo"));
        assertEquals(List.of(new Decision.Setting("tier.echo", -2, "demoted: its Tier 1 is earned, and it has not "
                + "been promoted yet")), policy.decide(1).settings());
        Decision.Setting in = new Decision.Setting("tier.echo", 0, "promoted: it earned Tier 1: 60 s without a "
                + "restart or a fault");
        assertEquals(List.of(in), policy.decide(2).settings());
        assertEquals(List.of(in), policy.decide(3).settings(), "refreshed: should the policy stop, it decays out");
        assertEquals(List.of(new Decision.Setting("tier.echo", -2, "demoted: it restarted")),
                policy.decide(4).settings());
    }

    @Test
    void aComponentSharingItsProcessIsDemotedOnItsOwnRestartsNotOnTheSharedProcesssAnomaly() {
        long host = 4711;
        assertEquals(java.util.Set.of("echo", "steady"), PolicyLoop.sharing(List.of(
                new PolicyLoop.Sample(0, "echo", "services", host, true, 0, 0, 0, 0, 0, 0, 0, 0),
                new PolicyLoop.Sample(0, "steady", "services", host, true, 0, 0, 0, 0, 0, 0, 0, 0),
                new PolicyLoop.Sample(0, "caller", "dak", 4712, true, 0, 0, 0, 0, 0, 0, 0, 0),
                new PolicyLoop.Sample(0, "frozen", "dak", 4712, false, 0, 0, 0, 0, 0, 0, 0, 0))),
                "the Tier 1 pair in their partition host; not one sample beside one that does not run");
        Deque<List<Recommendation>> rounds = new ArrayDeque<>(List.of(
                List.of(said(Recommendation.Action.DEMOTE, "unlike its own baseline (anomaly score 5.38)")),
                List.of(said(Recommendation.Action.DEMOTE, "it restarted"))));
        TierPolicy policy = new TierPolicy(new Scripted(rounds), EngineTunables.OUT_OF_TIER_1);
        policy.sharing(java.util.Set.of("echo", "steady"));
        Decision anomaly = policy.decide(1);
        assertEquals(List.of(), anomaly.settings(), "its neighbours' behaviour is not its own");
        assertEquals(1, anomaly.recommendations().size(), "the advice stands");
        assertEquals(List.of(new Decision.Setting("tier.echo", -2, "demoted: it restarted")),
                policy.decide(2).settings());
    }

    @Test
    void underAnAdviceOnlyCeilingItOnlyAdvises() {
        Deque<List<Recommendation>> rounds = new ArrayDeque<>(List.of(List.of(said(Recommendation.Action.DEMOTE,
                "it restarted"))));
        Decision d = new TierPolicy(new Scripted(rounds), EngineTunables.TIER_ADVISE).decide(1);
        assertEquals(List.of(), d.settings());
        assertEquals(1, d.recommendations().size());
    }
}
