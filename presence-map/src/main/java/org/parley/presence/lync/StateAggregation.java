package org.parley.presence.lync;

import java.util.Comparator;
import java.util.List;

/**
 * Chooses the state a Lync client would show from the {@code state} category instances of one
 * document ([MS-PRES] §3.7.5.x aggregation, simplified to what a watcher can see):
 * <ol>
 *   <li>a server-computed {@code aggregateState} wins; among several, the latest publishTime,
 *       then the lowest instance id;</li>
 *   <li>otherwise a manual {@code userState} (the user picked "Busy", "Do not disturb", ...);</li>
 *   <li>otherwise the most active device ({@code machineState} with the lowest number), made
 *       busier by a {@code phoneState} or {@code calendarState} that is higher (on the phone or
 *       in a meeting beats "Available"): the maximum of those.</li>
 * </ol>
 */
final class StateAggregation {

    record StateInstance(String type, boolean manual, int availability, String activityToken,
                         String activityText, String publishTime, String instance) {
    }

    private static final Comparator<StateInstance> LATEST_FIRST = Comparator
            .comparing((StateInstance s) -> s.publishTime() == null ? "" : s.publishTime(), Comparator.reverseOrder())
            .thenComparing(s -> s.instance() == null ? "" : s.instance());
    /** The machine the user is most active on: lowest availability number, then the latest. */
    private static final Comparator<StateInstance> MOST_ACTIVE_MACHINE =
            Comparator.comparingInt(StateInstance::availability).thenComparing(LATEST_FIRST);
    /** The busiest phone or calendar: highest availability number, then the latest (ties as Stream.max: first wins). */
    private static final Comparator<StateInstance> BUSIEST_DEVICE =
            Comparator.comparingInt(StateInstance::availability).reversed().thenComparing(LATEST_FIRST);

    private StateAggregation() {
    }

    static StateInstance choose(List<StateInstance> states) {
        if (states.isEmpty()) {
            return null;
        }
        // Plain loops, not streams: this runs for every NOTIFY and the pipelines cost more than the choice.
        StateInstance aggregate = null;
        StateInstance user = null;
        StateInstance machine = null;
        StateInstance device = null;
        StateInstance latest = null;
        for (StateInstance s : states) {
            latest = first(latest, s, LATEST_FIRST);
            String type = s.type();
            if (type.equals("aggregateState")) {
                aggregate = first(aggregate, s, LATEST_FIRST);
            }
            if (type.equals("userState") || s.manual()) {
                user = first(user, s, LATEST_FIRST);
            }
            if (type.equals("machineState")) {
                machine = first(machine, s, MOST_ACTIVE_MACHINE);
            }
            // A phone or calendar that is "offline" says nothing about the user: ignore it.
            if ((type.equals("phoneState") || type.equals("calendarState")) && s.availability() < 18000) {
                device = first(device, s, BUSIEST_DEVICE);
            }
        }
        if (aggregate != null) {
            return aggregate;
        }
        if (user != null) {
            return user;
        }
        if (machine == null && device == null) {
            return latest;
        }
        if (machine == null) {
            return device;
        }
        if (device == null || machine.availability() >= 18000) {
            return machine;
        }
        return device.availability() > machine.availability() ? device : machine;
    }

    /** The one of {@code best} and {@code candidate} that sorts first; on a tie the earlier one (as Stream.min). */
    private static StateInstance first(StateInstance best, StateInstance candidate, Comparator<StateInstance> order) {
        return best == null || order.compare(candidate, best) < 0 ? candidate : best;
    }
}
