package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/** Asks a member for its {@link MemberReport}. */
final class ReportTask implements Callable<MemberReport>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;
    private transient HazelcastInstance hz;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hz = hazelcastInstance;
    }

    @Override
    public MemberReport call() {
        MemberServices services = MemberServices.of(hz);
        return services == null || services.report() == null ? null : services.report().get();
    }
}
