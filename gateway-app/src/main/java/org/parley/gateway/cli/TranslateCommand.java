package org.parley.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.parley.gateway.admin.DryRun;
import org.parley.gateway.config.ParleyProperties;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.wiring.GatewayConfiguration;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.SipDryRun;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppDryRun;
import org.parley.xmpp.adapt.XmppToModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Offline translation of one stanza or SIP request from a file, with the engine of the admin dry
 * run: what Parley would send and why. No network, no store (no relationships exist offline).
 */
@Command(name = "translate", mixinStandardHelpOptions = true, description = "Translate a stanza or SIP request from a file, offline.")
public final class TranslateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "an XMPP stanza or a SIP request")
    Path file;

    @Option(names = "--protocol", description = "xmpp or sip (default: guessed from the first character)")
    String protocol;

    @Option(names = "--show-bodies", description = "print message bodies instead of redacting them")
    boolean showBodies;

    @picocli.CommandLine.Mixin
    ConfigOptions configuration = new ConfigOptions();

    /** {@code --parley.x=y} configuration overrides, as for the service. */
    @picocli.CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String raw = Files.readString(file);
        String proto = protocol != null ? protocol : raw.stripLeading().startsWith("<") ? "xmpp" : "sip";
        ParleyProperties p = configuration.load(overrides);
        DryRun.Result r = engine(p, showBodies).translate(proto, raw);
        System.out.print(format(r));
        return "REJECTED".equals(r.outcome()) ? 2 : 0;
    }

    /** The dry-run engine for a configuration, with no relationships. */
    public static DryRun engine(ParleyProperties p, boolean showBodies) {
        return engine(GatewayConfiguration.gatewayDomains(p), p.lync().sipDialect() == org.parley.sip.config.SipDialect.LYNC, showBodies);
    }

    /** The dry-run engine for the XMPP domains Parley serves and a SIP dialect, with no relationships. */
    public static DryRun engine(java.util.Set<String> gatewayDomains, boolean lyncDialect, boolean showBodies) {
        AddressMapper mapper = AddressMapper.anyDomain();
        Clock clock = Clock.systemUTC();
        return new DryRun(mapper, new NoRelationships(), new XmppDryRun(new XmppToModel(mapper), new ModelToXmpp(mapper)),
                new SipDryRun(mapper, gatewayDomains, lyncDialect, clock), showBodies, clock);
    }

    public static String format(DryRun.Result r) {
        StringBuilder out = new StringBuilder();
        out.append("input (").append(r.protocol()).append("): ").append(r.input()).append("\n");
        for (DryRun.Output o : r.outputs()) {
            out.append("\n→ ").append(o.side()).append(": ").append(o.event()).append("\n").append(o.wire().replace("\r\n", "\n").strip()).append("\n");
        }
        for (String d : r.decisions()) {
            out.append("\ndecision: ").append(d);
        }
        out.append("\noutcome: ").append(r.outcome()).append(r.reason() == null ? "" : " — " + r.reason()).append("\n");
        return out.toString();
    }

    /** Offline there are no relationships: a probe is answered as from a non-subscriber. */
    private static final class NoRelationships implements RelationshipStore {
        @Override
        public void put(Relationship relationship) {
        }

        @Override
        public Optional<Relationship> find(String watcher, String presentity) {
            return Optional.empty();
        }

        @Override
        public void remove(String watcher, String presentity) {
        }

        @Override
        public List<Relationship> all() {
            return List.of();
        }
    }
}
