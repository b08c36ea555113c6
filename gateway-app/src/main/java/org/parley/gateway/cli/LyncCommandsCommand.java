package org.parley.gateway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.parley.gateway.config.HostAndPort;
import org.parley.gateway.config.LyncProperties;
import org.parley.gateway.config.ParleyProperties;
import org.parley.gateway.wiring.GatewayConfiguration;
import picocli.CommandLine.Command;

/**
 * The Lync Server / Skype for Business Server Management Shell commands that make Parley a trusted
 * application for this configuration: the pool and its computers, the application and its port,
 * a TLS static route per XMPP domain Lync users reach through Parley, and publishing the topology.
 * The configuration is read by {@link ConfigLoader}, as the service reads it.
 */
@Command(name = "lync-commands", mixinStandardHelpOptions = true,
        description = "Print the Management Shell commands that register Parley as a trusted application.")
public final class LyncCommandsCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ConfigOptions configuration = new ConfigOptions();

    /** {@code --parley.x=y} configuration overrides, as for the service. */
    @picocli.CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        System.out.print(render(configuration.load(overrides)));
        return 0;
    }

    /** The commands, one per line, for {@code p}. */
    public static String render(ParleyProperties p) {
        LyncProperties lync = p.lync();
        String registrar = lync.registrar().isBlank() ? lync.frontEndTargets().get(0).host() : lync.registrar();
        StringBuilder out = new StringBuilder();
        out.append("# Parley as a trusted application: run in the Lync Server / Skype for Business Server Management Shell\n");
        out.append("# pool ").append(lync.poolFqdn()).append(", computers ").append(lync.computers()).append(", port ").append(lync.listenPort()).append('\n');
        out.append("New-CsTrustedApplicationPool -Identity ").append(lync.poolFqdn()).append(" -Registrar ").append(registrar)
                .append(" -Site ").append(lync.site()).append(" -ComputerFqdn ").append(lync.computers().get(0))
                .append(" -TreatAsAuthenticated $true -ThrottleAsServer $true -RequiresReplication $false\n");
        for (String computer : lync.computers().subList(1, lync.computers().size())) {
            out.append("New-CsTrustedApplicationComputer -Identity ").append(computer).append(" -Pool ").append(lync.poolFqdn()).append('\n');
        }
        out.append("New-CsTrustedApplication -ApplicationId ").append(lync.applicationId()).append(" -TrustedApplicationPoolFqdn ")
                .append(lync.poolFqdn()).append(" -Port ").append(lync.listenPort()).append('\n');
        Set<String> lyncDomains = lync.domains().stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String domain : routedDomains(p)) {
            if (lyncDomains.contains(domain)) {
                // a static route for a Lync domain would send Lync's own users to Parley
                out.append("# no static route for ").append(domain).append(": it is a Lync domain (parley.lync.domains)\n");
                continue;
            }
            out.append("$route = New-CsStaticRoute -TLSRoute -Destination ").append(lync.poolFqdn()).append(" -Port ").append(lync.listenPort())
                    .append(" -UseDefaultCertificate $true -MatchUri ").append(domain).append('\n');
            out.append("Set-CsStaticRoutingConfiguration -Identity global -Route @{Add=$route}\n");
        }
        out.append("Enable-CsTopology\n");
        return out.toString();
    }

    /**
     * Every XMPP domain a Lync user may address through Parley — each partner, its additional
     * domains, each static route, {@code parley.xmpp.domains} — once, lower-cased (DNS names are
     * case-insensitive, Lync's -MatchUri too), sorted so the output is the same on every run.
     */
    static SortedSet<String> routedDomains(ParleyProperties p) {
        return GatewayConfiguration.gatewayDomains(p).stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }
}
