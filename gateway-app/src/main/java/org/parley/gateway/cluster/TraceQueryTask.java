package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.gateway.trace.TraceQuery;
import org.parley.gateway.trace.TranslationRecord;
import org.parley.gateway.trace.TranslationTrace;

/** Runs a trace query on one member: the newest matching records of its ring. */
final class TraceQueryTask implements Callable<ArrayList<TranslationRecord>>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;
    private final TraceQuery query;
    private transient HazelcastInstance hz;

    TraceQueryTask(TraceQuery query) {
        this.query = query;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hz = hazelcastInstance;
    }

    @Override
    public ArrayList<TranslationRecord> call() {
        MemberServices services = MemberServices.of(hz);
        TranslationTrace trace = services == null ? null : services.trace();
        List<TranslationRecord> found = trace == null ? List.of() : query.run(trace);
        return new ArrayList<>(found);
    }
}
