package org.parley.gateway.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.parley.gateway.routing.Ownership;
import org.parley.presence.model.GatewayEvent;

/**
 * Ownership by Hazelcast partition: a key's owner is the member that owns the key's partition, so ownership
 * spreads over the members and moves with the partitions when a member leaves or joins.
 */
final class HazelcastOwnership implements Ownership {

    private final HazelcastInstance hz;
    private final IExecutorService executor;
    private final Duration handOverTimeout;
    private final Counter forwarded;
    private final Counter notTaken;
    /** The last forward of each key still under way. */
    private final java.util.concurrent.ConcurrentMap<String, CompletableFuture<Boolean>> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.Executor continuations;

    HazelcastOwnership(HazelcastInstance hz, Duration handOverTimeout, MeterRegistry metrics, java.util.concurrent.Executor continuations) {
        this.continuations = continuations;
        this.hz = hz;
        this.executor = hz.getExecutorService(HazelcastConfigs.FORWARD_EXECUTOR);
        this.handOverTimeout = handOverTimeout;
        this.forwarded = Counter.builder("parley.cluster.forwarded").description("XMPP events handed to the member that owns them")
                .register(metrics);
        this.notTaken = Counter.builder("parley.cluster.forward.failed")
                .description("events whose owner could not take them (handled where they arrived)").register(metrics);
    }

    /** The partition a key belongs to: fixed by the key's hash, whoever owns the partition. */
    int partitionOf(String key) {
        return hz.getPartitionService().getPartition(key).getPartitionId();
    }

    @Override
    public boolean isLocal(String key) {
        if (!hz.getLifecycleService().isRunning()) {
            return true; // this member has left (drain): what still reaches it is handled here
        }
        Member owner = hz.getPartitionService().getPartition(key).getOwner();
        // no owner only while partitions are first assigned: handling it here beats holding it back
        return owner == null || owner.localMember();
    }

    /**
     * Events of one key go to the owner one after the other, each once the previous one is handled there: the
     * owner runs forwarded events on a pool, so without this a subscribe and the unsubscribe right behind it,
     * or two IMs of one conversation, could be handled in the wrong order.
     */
    @Override
    public CompletionStage<Boolean> forward(String key, GatewayEvent event, String rawStanza) {
        forwarded.increment();
        CompletableFuture<Boolean> taken = new CompletableFuture<>();
        CompletableFuture<Boolean> previous = inFlight.put(key, taken);
        if (previous == null) {
            submit(key, event, rawStanza, taken);
        } else {
            previous.whenComplete((ok, failure) -> submit(key, event, rawStanza, taken));
        }
        taken.whenComplete((ok, failure) -> inFlight.remove(key, taken));
        // the continuation (the router handles a refused event itself: JDBC, sockets) must not run on Hazelcast's
        // response threads or the JVM's single timeout thread
        return taken.thenApplyAsync(ok -> {
            if (!ok) {
                notTaken.increment();
            }
            return ok;
        }, continuations);
    }

    private void submit(String key, GatewayEvent event, String rawStanza, CompletableFuture<Boolean> taken) {
        // a bound: an event never waits longer than this for its owner (then it is handled where it arrived)
        taken.completeOnTimeout(false, handOverTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            executor.submitToKeyOwner(new ForwardedEvent(event, rawStanza), key, new com.hazelcast.core.ExecutionCallback<Boolean>() {
                @Override
                public void onResponse(Boolean ok) {
                    taken.complete(Boolean.TRUE.equals(ok));
                }

                @Override
                public void onFailure(Throwable t) {
                    taken.complete(false); // the owner left before it answered: Hazelcast retried what it could
                }
            });
        } catch (RuntimeException e) {
            taken.complete(false);
        }
    }

    @Override
    public String ownerOf(String key) {
        if (!hz.getLifecycleService().isRunning()) {
            return "this member (it has left the cluster)";
        }
        Member owner = hz.getPartitionService().getPartition(key).getOwner();
        return owner == null ? "no member yet" : owner.getAddress().getHost() + ":" + owner.getAddress().getPort();
    }
}
