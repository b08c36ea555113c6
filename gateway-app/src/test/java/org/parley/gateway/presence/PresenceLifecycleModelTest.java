package org.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.parley.gateway.presence.PresenceOracle.Expect;
import org.parley.gateway.presence.PresenceOracle.Expected;
import org.parley.gateway.presence.PresenceOracle.Oracle;
import org.parley.gateway.presence.PresenceOracle.Pair;
import org.parley.gateway.testing.AssembledGateway;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/**
 * The subscription lifecycle as a model-based test through the assembled gateway (Router + the real sip and xmpp
 * modules, the Lync front-end simulator on mutual TLS): random sequences of subscribe, approve, deny, per-resource and
 * directed presence, unsubscribe, refresh, expiry and restart over 3 Lync watchers, 2 XMPP users and 2 resources each.
 *
 * <p>The oracle ({@link Oracle}) is written from the RFCs, not from Parley's code: a watcher may know what the XMPP user
 * sent that watcher, and only once the user approved it (RFC 6121 §3, §4.4); until then its dialogs are pending without
 * state, a refusal ends them with exactly one {@code terminated;reason=rejected} (RFC 6665 §4.2.2), and a user's
 * resources aggregate by priority (RFC 6121 §4.7.2.3). After every step the NOTIFYs each dialog received and the
 * stanzas Parley wrote toward XMPP must be exactly the oracle's: no leak, no loss, nothing to anyone else.
 */
class PresenceLifecycleModelTest {

    private static final List<String> WATCHERS = List.of("w1", "w2", "w3");
    private static final List<String> USERS = List.of("u1", "u2");
    private static final List<String> SHOWS = List.of("", "away", "dnd");

    private static AssembledGateway gw;
    private static final AtomicInteger TRIES = new AtomicInteger();
    /** NOTIFYs received per dialog (Call-ID), over all tries. */
    private static final Map<String, List<Received>> byDialog = new HashMap<>();

    @BeforeContainer
    static void start() throws Exception {
        gw = new AssembledGateway(Set.of("alice"));
    }

    @AfterContainer
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Property(tries = 12)
    void everyWatcherSeesExactlyWhatItIsAuthorizedFor(@ForAll("chains") ActionChain<World> chain) throws Exception {
        World world = chain.run();
        world.cleanUp();
    }

    /**
     * Shrunk counterexample (found when the notifier stored a pending watcher's state as if approved): presence the
     * XMPP user sends a watcher that is still pending reaches nobody.
     */
    @Example
    void regressionPresenceToAPendingWatcherIsNotNotified() throws Exception {
        World w = new World("r" + TRIES.incrementAndGet() + "x");
        w.subscribe(new Pair("w3", "u2"));
        w.presence(new Pair("w3", "u2"), "b", "");
        w.cleanUp();
    }

    /** Shrunk counterexample kind: a denial ends the denied watcher's dialogs only, and an approval after it asks anew. */
    @Example
    void regressionADenialTouchesOneWatcherAndALaterSubscribeAsksAgain() throws Exception {
        World w = new World("r" + TRIES.incrementAndGet() + "x");
        Pair w1 = new Pair("w1", "u1");
        Pair w2 = new Pair("w2", "u1");
        w.subscribe(w1);
        w.subscribe(w2);
        w.answer(w1, true);
        w.presence(w1, "a", "away");
        w.presence(w2, "a", "dnd");
        w.answer(w2, false);
        w.presence(w1, "b", "dnd");
        w.unavailable(w1, "a");
        w.subscribe(w2);
        w.cleanUp();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.<World>startWith(() -> new World("m" + TRIES.incrementAndGet() + "x"))
                .withAction(4, (Action.Independent<World>) () -> pairs().map(p -> Transformer.mutate("subscribe " + p, w -> w.subscribe(p))))
                .withAction(3, (Action.Independent<World>) () -> pairs().map(p -> Transformer.mutate("approve " + p, w -> w.answer(p, true))))
                .withAction(2, (Action.Independent<World>) () -> pairs().map(p -> Transformer.mutate("deny " + p, w -> w.answer(p, false))))
                .withAction(5, (Action.Independent<World>) () -> net.jqwik.api.Combinators.combine(pairs(), Arbitraries.of("a", "b"), Arbitraries.of(SHOWS))
                        .as((p, r, show) -> Transformer.mutate("presence " + p + "/" + r + " '" + show + "'", w -> w.presence(p, r, show))))
                .withAction(2, (Action.Independent<World>) () -> net.jqwik.api.Combinators.combine(pairs(), Arbitraries.of("a", "b"))
                        .as((p, r) -> Transformer.mutate("unavailable " + p + "/" + r, w -> w.unavailable(p, r))))
                .withAction(2, dialogAction("unsubscribe", World::unsubscribe))
                .withAction(2, dialogAction("refresh", World::refresh))
                .withAction(1, dialogAction("expire", World::expire))
                .withAction(1, Action.just(Transformer.mutate("restart", World::restart)))
                .withMaxTransformations(18);
    }

    private static Arbitrary<Pair> pairs() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(WATCHERS), Arbitraries.of(USERS)).as(Pair::new);
    }

    private interface DialogStep {
        void run(World w, String callId) throws Exception;
    }

    private static Action<World> dialogAction(String name, DialogStep step) {
        return new Action.Dependent<World>() {
            @Override
            public boolean precondition(World w) {
                return !w.open.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World w) {
                return Arbitraries.of(List.copyOf(w.open.keySet())).map(callId -> Transformer.mutate(name + " " + w.open.get(callId)
                        + " dialog " + callId.substring(0, 8), world -> {
                    try {
                        step.run(world, callId);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
        };
    }

    /** The world one chain acts on: the shared gateway, this try's names, the oracle and the dialogs open now. */
    static final class World {
        final String prefix;
        final Oracle oracle = new Oracle();
        /** Open dialogs: Call-ID → pair. */
        final Map<String, Pair> open = new LinkedHashMap<>();
        private int counter;

        World(String prefix) {
            this.prefix = prefix;
        }

        String lync(String watcher) {
            return prefix + watcher + "@contoso.com";
        }

        String xmpp(String user) {
            return prefix + user + "@xmpp.test";
        }

        @Override
        public String toString() {
            return "World " + prefix + " " + oracle.auth + " open " + open;
        }

        private List<String> dialogsOf(Pair p) {
            return open.entrySet().stream().filter(e -> e.getValue().equals(p)).map(Map.Entry::getKey).toList();
        }

        void subscribe(Pair p) {
            step(() -> {
                assertThat(gw.frontEnd.subscribeAsLyncWatcher("sip:" + lync(p.watcher()), "sip:" + xmpp(p.user()), gw.sipPort)
                        .getStatusCode()).isEqualTo(200);
                String callId = gw.frontEnd.lastWatchCallId();
                open.put(callId, p);
                Map<String, List<Expect>> notifies = new HashMap<>();
                List<String> stanzas = new ArrayList<>();
                switch (oracle.auth(p)) {
                    case NONE -> {
                        oracle.auth.put(p, Oracle.Auth.PENDING);
                        stanzas.add("subscribe " + lync(p.watcher()) + " " + xmpp(p.user()));
                        notifies.put(callId, List.of(Expect.PENDING));
                    }
                    case PENDING -> notifies.put(callId, List.of(Expect.PENDING));
                    case ACTIVE -> notifies.put(callId, List.of(oracle.state(p, prefix)));
                }
                return new Expected(notifies, stanzas);
            });
        }

        void answer(Pair p, boolean approve) {
            step(() -> {
                gw.fromXmpp("<presence from='" + xmpp(p.user()) + "' to='" + lync(p.watcher()) + "' type='" + (approve ? "subscribed" : "unsubscribed")
                        + "'/>");
                Map<String, List<Expect>> notifies = new HashMap<>();
                Oracle.Auth was = oracle.auth(p);
                if (approve && was == Oracle.Auth.PENDING) {
                    oracle.auth.put(p, Oracle.Auth.ACTIVE);
                    dialogsOf(p).forEach(d -> notifies.put(d, List.of(oracle.state(p, prefix))));
                } else if (!approve) {
                    oracle.sent.remove(p); // what the user sent this contact goes with the refusal
                    if (was != Oracle.Auth.NONE) {
                        oracle.auth.remove(p);
                        for (String d : dialogsOf(p)) {
                            notifies.put(d, List.of(Expect.terminated("rejected")));
                            open.remove(d);
                        }
                    }
                }
                return new Expected(notifies, List.of());
            });
        }

        void presence(Pair p, String resource, String show) {
            step(() -> {
                String note = prefix + p.user() + "/" + resource + ":" + show;
                gw.fromXmpp("<presence from='" + xmpp(p.user()) + "/" + resource + "' to='" + lync(p.watcher()) + "'>"
                        + (show.isEmpty() ? "" : "<show>" + show + "</show>") + "<status>" + note + "</status><priority>"
                        + PresenceOracle.PRIORITY.get(resource) + "</priority></presence>");
                if (oracle.auth(p) != Oracle.Auth.NONE) {
                    // presence to a contact that never asked is dropped: nobody may see it
                    oracle.sent.computeIfAbsent(p, k -> new HashMap<>()).put(resource, show);
                }
                return changed(p);
            });
        }

        void unavailable(Pair p, String resource) {
            step(() -> {
                gw.fromXmpp("<presence from='" + xmpp(p.user()) + "/" + resource + "' to='" + lync(p.watcher()) + "' type='unavailable'/>");
                oracle.sent.getOrDefault(p, new HashMap<>()).remove(resource);
                return changed(p);
            });
        }

        /** Presence the user sent this watcher: NOTIFYed to its dialogs once approved, to nobody before. */
        private Expected changed(Pair p) {
            Map<String, List<Expect>> notifies = new HashMap<>();
            if (oracle.auth(p) == Oracle.Auth.ACTIVE) {
                dialogsOf(p).forEach(d -> notifies.put(d, List.of(oracle.state(p, prefix))));
            }
            return new Expected(notifies, List.of());
        }

        void unsubscribe(String callId) throws Exception {
            step(() -> {
                assertThat(gw.frontEnd.refreshWatch(callId, 0).getStatusCode()).isEqualTo(200);
                return watcherLeft(callId, List.of(Expect.terminated("timeout")));
            });
        }

        void refresh(String callId) throws Exception {
            step(() -> {
                assertThat(gw.frontEnd.refreshWatch(callId, 3600).getStatusCode()).isEqualTo(200);
                Pair p = open.get(callId);
                Expect now = oracle.auth(p) == Oracle.Auth.ACTIVE ? oracle.state(p, prefix) : Expect.PENDING;
                return new Expected(Map.of(callId, List.of(now)), List.of());
            });
        }

        /** The dialog is refreshed for one second and left to expire (RFC 6665 §4.2.2: terminated;reason=timeout). */
        void expire(String callId) throws Exception {
            step(() -> {
                assertThat(gw.frontEnd.refreshWatch(callId, 1).getStatusCode()).isEqualTo(200);
                Pair p = open.get(callId);
                Expect now = oracle.auth(p) == Oracle.Auth.ACTIVE ? oracle.state(p, prefix) : Expect.PENDING;
                return watcherLeft(callId, List.of(now, Expect.terminated("timeout")));
            });
        }

        /** A watcher's dialog ends; when it was the pair's last, the relationship ends (RFC 7248 §4.3: unsubscribe). */
        private Expected watcherLeft(String callId, List<Expect> last) {
            Pair p = open.remove(callId);
            List<String> stanzas = new ArrayList<>();
            if (dialogsOf(p).isEmpty() && oracle.auth(p) != Oracle.Auth.NONE) {
                oracle.auth.remove(p);
                oracle.sent.remove(p);
                stanzas.add("unsubscribe " + lync(p.watcher()) + " " + xmpp(p.user()));
            }
            return new Expected(Map.of(callId, last), stanzas);
        }

        void restart() {
            step(() -> {
                gw.restart();
                Map<String, List<Expect>> notifies = new HashMap<>();
                open.keySet().forEach(d -> notifies.put(d, List.of(Expect.terminated("deactivated"))));
                open.clear();
                oracle.sent.clear(); // live state: gone with the process, asked for again by the probes
                List<String> stanzas = new ArrayList<>();
                oracle.auth.forEach((p, a) -> {
                    if (a == Oracle.Auth.ACTIVE) {
                        stanzas.add("probe " + lync(p.watcher()) + " " + xmpp(p.user()));
                    }
                });
                return new Expected(notifies, stanzas);
            });
        }

        /** Ends what this try left open, so that the next try's checks see only its own dialogs. */
        void cleanUp() throws Exception {
            for (String callId : List.copyOf(open.keySet())) {
                unsubscribe(callId);
            }
        }

        private interface Act {
            Expected run() throws Exception;
        }

        /** Runs one action and checks, once the gateway is quiet, that exactly what the oracle expects happened. */
        private void step(Act act) {
            try {
                collect();
                Map<String, Integer> before = new HashMap<>();
                byDialog.forEach((d, l) -> before.put(d, l.size()));
                gw.toXmpp.clear();
                counter++;
                Expected expected = act.run();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                List<String> stanzas = new ArrayList<>();
                while (System.nanoTime() < deadline && !(arrived(before, expected) && stanzas.size() >= expected.stanzas().size())) {
                    collect();
                    stanzas.addAll(stanzasOfThisTry());
                    Thread.sleep(10);
                }
                Thread.sleep(120); // anything unexpected has time to show itself
                collect();
                stanzas.addAll(stanzasOfThisTry());
                for (var e : byDialog.entrySet()) {
                    List<Received> all = e.getValue();
                    List<Expect> got = all.subList(before.getOrDefault(e.getKey(), 0), all.size()).stream().map(Expect::of).toList();
                    assertThat(got).as("step %d: NOTIFYs in dialog %s (%s); world %s", counter, e.getKey(), open.get(e.getKey()), this)
                            .containsExactlyElementsOf(expected.notifies().getOrDefault(e.getKey(), List.of()));
                }
                assertThat(stanzas).as("step %d: stanzas toward XMPP; world %s", counter, this)
                        .containsExactlyInAnyOrderElementsOf(expected.stanzas());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        private boolean arrived(Map<String, Integer> before, Expected expected) {
            for (var e : expected.notifies().entrySet()) {
                int now = byDialog.getOrDefault(e.getKey(), List.of()).size() - before.getOrDefault(e.getKey(), 0);
                if (now < e.getValue().size()) {
                    return false;
                }
            }
            return true;
        }

        /** The subscription stanzas Parley wrote toward XMPP about this try's users, as "type from to". */
        private List<String> stanzasOfThisTry() {
            List<String> out = new ArrayList<>();
            String s;
            while ((s = gw.toXmpp.poll()) != null) {
                if (s.contains(prefix)) {
                    Matcher type = Pattern.compile("type=\"([a-z]+)\"").matcher(s);
                    Matcher from = Pattern.compile("from=\"([^\"]+)\"").matcher(s);
                    Matcher to = Pattern.compile("to=\"([^\"]+)\"").matcher(s);
                    out.add((type.find() ? type.group(1) : "available") + " " + (from.find() ? from.group(1) : "?") + " "
                            + (to.find() ? to.group(1) : "?"));
                }
            }
            return out;
        }
    }

    private static void collect() {
        Received r;
        try {
            while ((r = gw.frontEnd.await(0)) != null) {
                if (r.method().endsWith("NOTIFY")) {
                    byDialog.computeIfAbsent(r.callId(), k -> new ArrayList<>()).add(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
