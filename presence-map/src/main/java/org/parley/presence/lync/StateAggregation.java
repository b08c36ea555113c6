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

    private StateAggregation() {
    }

    static StateInstance choose(List<StateInstance> states) {
        if (states.isEmpty()) {
            return null;
        }
        StateInstance aggregate = states.stream().filter(s -> s.type().equals("aggregateState"))
                .min(LATEST_FIRST).orElse(null);
        if (aggregate != null) {
            return aggregate;
        }
        StateInstance user = states.stream().filter(s -> s.type().equals("userState") || s.manual())
                .min(LATEST_FIRST).orElse(null);
        if (user != null) {
            return user;
        }
        StateInstance machine = states.stream().filter(s -> s.type().equals("machineState"))
                .min(Comparator.comparingInt(StateInstance::availability).thenComparing(LATEST_FIRST)).orElse(null);
        // A phone or calendar that is "offline" says nothing about the user: ignore it.
        StateInstance device = states.stream()
                .filter(s -> s.type().equals("phoneState") || s.type().equals("calendarState"))
                .filter(s -> s.availability() < 18000)
                .max(Comparator.comparingInt(StateInstance::availability).thenComparing(LATEST_FIRST.reversed()))
                .orElse(null);
        if (machine == null && device == null) {
            return states.stream().min(LATEST_FIRST).orElseThrow();
        }
        if (machine == null) {
            return device;
        }
        if (device == null || machine.availability() >= 18000) {
            return machine;
        }
        return device.availability() > machine.availability() ? device : machine;
    }
}
