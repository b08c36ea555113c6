package org.parley.gateway.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.partition.Partition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.parley.gateway.config.ClusterProperties;
import org.parley.gateway.routing.Clustering;
import org.parley.gateway.routing.Router;
import org.parley.gateway.routing.SipSide;
import org.parley.gateway.trace.TraceQuery;
import org.parley.gateway.trace.TranslationRecord;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.sip.subscription.Notifier;

/**
 * This gateway as one member of a Hazelcast cluster (docs/high-availability.md). Hazelcast does membership,
 * failure detection and partition ownership; Parley maps its work onto partitions ({@link HazelcastOwnership}),
 * shares the live state (latest presence, copies of SIP watchers' dialogs), and re-homes work whenever the
 * partitions this member owns change: it subscribes for the relationships it gained, ends the SIP dialogs of
 * the ones it lost, and ends the orphaned watcher dialogs of a member that died so their watchers come back.
 */
public final class GatewayCluster implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GatewayCluster.class.getName());
    /** How often the partition table is compared with the last one; the failover bound adds this at most. */
    private static final Duration OWNERSHIP_CHECK = Duration.ofMillis(250);
    /** Even without a change: a full reconciliation this often (a subscription that failed is tried again). */
    private static final Duration FULL_CHECK = Duration.ofSeconds(60);

    private final HazelcastInstance hz;
    private final HazelcastOwnership ownership;
    private final ClusterPresenceBook presence;
    private final ClusterWatcherDialogs watcherDialogs;
    private final long firstTraceId;
    private final ScheduledExecutorService rehomer;
    private final java.util.concurrent.ExecutorService continuations;
    private final String memberName;
    private final Timer rehomingTime;
    private final Counter subscriptionsTaken;
    private final Counter subscriptionsReleased;
    private final Counter watchersAskedBack;
    private volatile Router router;
    private volatile Notifier notifier;
    private volatile TranslationTrace trace;
    private volatile Supplier<MemberReport> report;
    private BitSet lastOwned = new BitSet();
    private Set<UUID> lastMembers = Set.of();
    private long lastFullCheck = System.nanoTime();

    private GatewayCluster(HazelcastInstance hz, Duration handOverTimeout, MeterRegistry metrics) {
        this.hz = hz;
        this.continuations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-cluster-forward");
            t.setDaemon(true);
            return t;
        });
        this.ownership = new HazelcastOwnership(hz, handOverTimeout, metrics, continuations);
        this.presence = new ClusterPresenceBook(hz.getMap(HazelcastConfigs.PRESENCE_MAP), () -> hz.getLifecycleService().isRunning());
        this.watcherDialogs = new ClusterWatcherDialogs(hz.getMap(HazelcastConfigs.WATCHER_DIALOGS_MAP),
                () -> hz.getCluster().getLocalMember().getUuid(), () -> hz.getLifecycleService().isRunning());
        this.memberName = hz.getCluster().getLocalMember().getAddress().getHost() + ":" + hz.getCluster().getLocalMember().getAddress().getPort();
        this.firstTraceId = TraceIdRanges.claim(hz);
        this.rehomer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-cluster-rehoming");
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("parley.cluster.members", hz, h -> h.getLifecycleService().isRunning() ? h.getCluster().getMembers().size() : 0)
                .description("members this member sees in the cluster").register(metrics);
        Gauge.builder("parley.cluster.owned.partitions", this, c -> c.ownedPartitions().cardinality())
                .description("partitions (of 271) this member owns").register(metrics);
        this.rehomingTime = Timer.builder("parley.cluster.rehoming").description("one reconciliation after the partitions moved")
                .register(metrics);
        this.subscriptionsTaken = Counter.builder("parley.cluster.subscriptions.taken")
                .description("SIP subscriptions this member took over").register(metrics);
        this.subscriptionsReleased = Counter.builder("parley.cluster.subscriptions.released")
                .description("SIP subscriptions this member gave up to their new owner").register(metrics);
        this.watchersAskedBack = Counter.builder("parley.cluster.watchers.resubscribe")
                .description("SIP watchers of a dead member asked to subscribe again").register(metrics);
    }

    /**
     * Starts this member and joins the cluster (alone until another member appears).
     *
     * @param handOverTimeout how long an event waits for its owner to handle it (longer than a SIP request may take)
     */
    public static GatewayCluster join(ClusterProperties p, Duration handOverTimeout, MeterRegistry metrics) {
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastConfigs.of(p));
        try {
            if (hz.getCluster().getMembers().stream().allMatch(Member::isLiteMember)) {
                // the first member: nobody else holds the data; it owns the partitions at once (nothing to take over)
                hz.getCluster().promoteLocalLiteMember();
            }
            return new GatewayCluster(hz, handOverTimeout, metrics);
        } catch (RuntimeException e) {
            hz.getLifecycleService().terminate();
            throw e;
        }
    }

    /** What the router shares with the other members. */
    public Clustering clustering() {
        return new Clustering(ownership, presence, watcherDialogs);
    }

    /** Where this member's trace ids start. */
    public long firstTraceId() {
        return firstTraceId;
    }

    /** The SIP side the router uses: this member's endpoint, presence fanned out to every member. */
    public SipSide sipSide(SipSide local) {
        return new FanOutSipSide(local, hz);
    }

    /** The gateway is up: other members' tasks may reach it, and work is re-homed from now on whenever partitions move. */
    public void started(Router router, SipSide localSip, Notifier notifier, TranslationTrace trace, Supplier<MemberReport> report) {
        this.router = router;
        this.notifier = notifier;
        this.trace = trace;
        this.report = report;
        new MemberServices(router, trace, report).attach(hz); // last: its presence means the member is ready
        hz.<PublishPresence>getTopic(HazelcastConfigs.PRESENCE_TOPIC).addMessageListener(m -> {
            if (!m.getPublishingMember().localMember()) {
                FanOutSipSide.apply(m.getMessageObject(), localSip);
            }
        });
        if (hz.getCluster().getLocalMember().isLiteMember()) {
            // ready to serve: take a share of the partitions now (the others release it within a re-homing round)
            hz.getCluster().promoteLocalLiteMember();
        }
        rehomer.scheduleWithFixedDelay(this::checkOwnership, 0, OWNERSHIP_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String memberName() {
        return memberName;
    }

    public int size() {
        return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers().size() : 0;
    }

    /** Every member's report, this one's first; a member that does not answer within 3 s is listed without figures. */
    public List<MemberReport> members() {
        if (!hz.getLifecycleService().isRunning()) {
            return report == null ? List.of() : List.of(report.get()); // left the cluster (drain): only itself to report
        }
        IExecutorService executor = hz.getExecutorService(HazelcastConfigs.FORWARD_EXECUTOR);
        Map<Member, Future<MemberReport>> answers = executor.submitToAllMembers(new ReportTask());
        List<MemberReport> out = new ArrayList<>();
        answers.forEach((member, answer) -> {
            String name = member.getAddress().getHost() + ":" + member.getAddress().getPort();
            try {
                MemberReport r = answer.get(3, TimeUnit.SECONDS);
                out.add(r == null ? new MemberReport(name, member.localMember(), -1, -1, -1, -1, -1, -1) : r.asSeenFrom(member.localMember()));
            } catch (Exception e) {
                out.add(new MemberReport(name, member.localMember(), -1, -1, -1, -1, -1, -1));
            }
        });
        out.sort(Comparator.comparing((MemberReport r) -> !r.local()).thenComparing(MemberReport::member));
        return out;
    }

    /** The query run on every member's trace, merged newest first. */
    public List<TranslationRecord> query(TraceQuery query) {
        if (!hz.getLifecycleService().isRunning()) {
            return trace == null ? List.of() : query.run(trace); // left the cluster (drain): its own trace
        }
        IExecutorService executor = hz.getExecutorService(HazelcastConfigs.FORWARD_EXECUTOR);
        List<TranslationRecord> all = new ArrayList<>();
        for (Future<ArrayList<TranslationRecord>> answer : executor.submitToAllMembers(new TraceQueryTask(query)).values()) {
            try {
                all.addAll(answer.get(3, TimeUnit.SECONDS));
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "a member did not answer the trace query: " + e);
            }
        }
        all.sort(Comparator.comparing(TranslationRecord::at).reversed().thenComparing(Comparator.comparingLong(TranslationRecord::id).reversed()));
        return all.size() > query.limit() ? List.copyOf(all.subList(0, query.limit())) : all;
    }

    /**
     * Drain: leaves the cluster gracefully — Hazelcast first moves this member's partitions (and so its
     * relationships) to the others, which subscribe again; the caller then ends this member's own dialogs.
     */
    public void leave() {
        stopRehoming();
        continuations.shutdown();
        if (hz.getLifecycleService().isRunning()) {
            hz.shutdown();
        }
    }

    /** Drain: no re-homing round may subscribe again what this member is handing over. */
    public void stopRehoming() {
        rehomer.shutdownNow();
        try {
            rehomer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        leave();
    }

    private BitSet ownedPartitions() {
        BitSet owned = new BitSet(271);
        if (!hz.getLifecycleService().isRunning()) {
            return owned;
        }
        for (Partition p : hz.getPartitionService().getPartitions()) {
            Member owner = p.getOwner();
            if (owner != null && owner.localMember()) {
                owned.set(p.getPartitionId());
            }
        }
        return owned;
    }

    /** Runs on the rehoming thread: never throws (a failed round is simply tried again on the next tick). */
    private void checkOwnership() {
        try {
            if (!hz.getLifecycleService().isRunning()) {
                return; // left or lost the cluster: an empty table would release everything this member holds
            }
            BitSet owned = ownedPartitions();
            Set<UUID> members = hz.getCluster().getMembers().stream().map(Member::getUuid).collect(Collectors.toSet());
            boolean full = System.nanoTime() - lastFullCheck > FULL_CHECK.toNanos();
            if (owned.equals(lastOwned) && members.equals(lastMembers) && !full) {
                return;
            }
            long start = System.nanoTime();
            // decided on the snapshot compared above, never on the live table: a partition that moves in and out
            // again during the round is then seen as a change by the next one
            Router.Rehoming r = router.reconcileSubscriptions(key -> owned.get(ownership.partitionOf(key)));
            int askedBack = watcherDialogs.adoptOrphans(members::contains, notifier);
            long took = System.nanoTime() - start;
            rehomingTime.record(took, TimeUnit.NANOSECONDS);
            subscriptionsTaken.increment(r.subscribed());
            subscriptionsReleased.increment(r.released());
            watchersAskedBack.increment(askedBack);
            if (r.subscribed() + r.released() + askedBack > 0 || !members.equals(lastMembers)) {
                LOG.log(System.Logger.Level.INFO, "cluster of " + members.size() + " (this member owns " + owned.cardinality()
                        + " partitions): subscribed " + r.subscribed() + ", released " + r.released() + ", holding " + r.held()
                        + "; " + askedBack + " watchers of a departed member asked to subscribe again (" + took / 1_000_000 + " ms)");
            }
            lastOwned = owned;
            lastMembers = members;
            lastFullCheck = full ? System.nanoTime() : lastFullCheck;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "re-homing round failed, trying again: " + e);
        }
    }
}
