package org.parley.xmpp.s2s;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Where to connect for a partner domain: a static route when configured (no DNS needed), SRV otherwise. */
public final class PartnerTargets {

    private final Map<String, S2sTarget> staticRoutes;
    private final SrvResolver srv;

    public PartnerTargets(Map<String, S2sTarget> staticRoutes, SrvResolver srv) {
        this.staticRoutes = staticRoutes.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
        this.srv = srv;
    }

    public List<S2sTarget> targets(String domain) {
        S2sTarget route = staticRoutes.get(domain.toLowerCase(Locale.ROOT));
        return route != null ? List.of(route) : srv.targets(domain);
    }
}
