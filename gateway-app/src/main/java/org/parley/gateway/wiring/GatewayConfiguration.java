package org.parley.gateway.wiring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.gateway.cluster.GatewayCluster;
import org.parley.gateway.config.HostAndPort;
import org.parley.gateway.config.LyncProperties;
import org.parley.gateway.config.ParleyProperties;
import org.parley.gateway.config.TlsProperties;
import org.parley.gateway.config.XmppProperties;
import org.parley.gateway.routing.Router;
import org.parley.gateway.store.JdbcRelationshipStore;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.tls.DevelopmentPki;
import org.parley.gateway.tls.GatewayTls;
import org.parley.gateway.tls.TlsFileWatcher;
import org.parley.gateway.tls.TlsFiles;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.tls.TlsConfigurationException;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.DialbackKeys;
import org.parley.xmpp.s2s.DialbackVerifier;
import org.parley.xmpp.s2s.OutboundStreams;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.PartnerTargets;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.SrvResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds the gateway from {@code parley.*}: TLS (configured or a generated development PKI), the
 * store, the trace, the router, the SIP endpoint and the XMPP s2s side. Starting and stopping is
 * {@link GatewayLifecycle}'s job.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.context.annotation.Import(org.parley.gateway.config.ConfigurationBinding.class)
public class GatewayConfiguration {

    private static final System.Logger LOG = System.getLogger(GatewayConfiguration.class.getName());

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TlsFiles tlsFiles(ParleyProperties p) throws IOException, GeneralSecurityException {
        TlsProperties tls = p.tls();
        LyncProperties lync = p.lync();
        char[] password = tls.keyPassword().isEmpty() ? null : tls.keyPassword().toCharArray();
        if (!tls.generated()) {
            return new TlsFiles(tls.certificate(), tls.key(), password, tls.ca());
        }
        DevelopmentPki.PkiFiles files = DevelopmentPki.ensure(p.dataDir(), lync.poolFqdn(), lync.computerFqdn(), lync.domains());
        LOG.log(System.Logger.Level.WARNING, (files.created() ? "generated" : "using") + " a DEVELOPMENT PKI in " + files.ca().getParent()
                + " — point peers at " + files.ca() + " as their trusted CA; for production set parley.tls.certificate, key and ca");
        return new TlsFiles(files.certificate(), files.key(), password, files.ca());
    }

    @Bean
    GatewayTls gatewayTls(ParleyProperties p, TlsFiles files) throws TlsConfigurationException {
        TlsMaterial material = TlsMaterial.fromPem(files.certificate(), files.key(), files.keyPassword(), files.ca(), trustedPeers(p.lync()));
        return GatewayTls.from(material);
    }

    @Bean(destroyMethod = "close")
    TlsFileWatcher tlsFileWatcher(ParleyProperties p, TlsFiles files, GatewayTls tls) {
        return new TlsFileWatcher(files, trustedPeers(p.lync()), tls.rotating()).start(p.tls().reloadInterval());
    }

    @Bean
    AddressMapper addressMapper() {
        // any domain maps; which ones may federate is the partner policy's decision
        return AddressMapper.anyDomain();
    }

    @Bean
    RelationshipStore relationshipStore(JdbcTemplate jdbc) {
        return new JdbcRelationshipStore(jdbc);
    }

    /** Only with parley.cluster.enabled: this gateway joins its cluster before anything else starts. */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(prefix = "parley.cluster", name = "enabled", havingValue = "true")
    GatewayCluster gatewayCluster(ParleyProperties p, io.micrometer.core.instrument.MeterRegistry metrics,
                                  @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String storeUrl) {
        if (!storeUrl.startsWith("jdbc:postgresql:")) {
            // every member must read and write the same relationships: an embedded store per member would diverge
            throw new IllegalStateException("parley.cluster.enabled needs the shared PostgreSQL store: set spring.datasource.url to "
                    + "jdbc:postgresql://host:5432/parley (it is " + (storeUrl.isEmpty() ? "unset" : storeUrl.replaceAll("^(jdbc:[a-z0-9]+):.*", "$1:…")) + ")");
        }
        GatewayCluster cluster = GatewayCluster.join(p.cluster(), p.lync().requestTimeout().plusSeconds(4), metrics);
        LOG.log(System.Logger.Level.INFO, "cluster member " + cluster.memberName() + " joined " + p.cluster().name() + " (" + cluster.size()
                + " members)");
        return cluster;
    }

    @Bean
    TranslationTrace translationTrace(ParleyProperties p, Clock clock, io.micrometer.core.instrument.MeterRegistry metrics,
                                      ObjectProvider<GatewayCluster> cluster) {
        GatewayCluster c = cluster.getIfAvailable();
        return new TranslationTrace(p.admin().traceSize(), p.admin().showBodies(), clock,
                new org.parley.gateway.trace.TranslationMetrics(metrics, Set.copyOf(p.lync().domains())), c == null ? 0 : c.firstTraceId());
    }

    /** The XMPP encoder the streams write with; the trace's XMPP output wires are its text, so they are the stanzas as sent. */
    @Bean
    ModelToXmpp xmppEncoder(AddressMapper mapper) {
        return new ModelToXmpp(mapper);
    }

    /** The admin dry run's and {@code parley translate}'s XMPP side: not on the live path. */
    @Bean
    org.parley.xmpp.adapt.XmppDryRun xmppWire(AddressMapper mapper) {
        return new org.parley.xmpp.adapt.XmppDryRun(new XmppToModel(mapper), new ModelToXmpp(mapper));
    }

    @Bean
    org.parley.sip.SipDryRun sipWire(ParleyProperties p, AddressMapper mapper, Clock clock) {
        return new org.parley.sip.SipDryRun(mapper, gatewayDomains(p), p.lync().sipDialect() == SipDialect.LYNC, clock);
    }

    @Bean
    Router router(ParleyProperties p, AddressMapper mapper, RelationshipStore store, TranslationTrace trace, Clock clock,
                  ModelToXmpp xmppEncoder, ObjectProvider<GatewayCluster> cluster) {
        XmppProperties.RateLimit limit = p.xmpp().rateLimit();
        GatewayCluster c = cluster.getIfAvailable();
        return new Router(mapper, store, trace, clock, new org.parley.gateway.routing.WireForms(xmppEncoder::render),
                new org.parley.gateway.routing.PartnerRateLimits(limit.perPartnerPerSecond(), limit.burst(), clock, 10_000),
                c == null ? org.parley.gateway.routing.Clustering.single() : c.clustering(), partnerTypes(p.xmpp().s2s()));
    }

    /** Each partner's Lync partner type, for its domain and its additional domains; unlisted partners are federated. */
    static org.parley.gateway.routing.PartnerTypes partnerTypes(XmppProperties.S2s s2s) {
        Map<String, org.parley.gateway.routing.PartnerTypes.Type> types = new HashMap<>();
        s2s.partners().forEach((domain, partner) -> {
            var type = org.parley.gateway.routing.PartnerTypes.Type.parse(partner.type(), "parley.xmpp.s2s.partners." + domain + ".type");
            types.put(domain, type);
            partner.additionalDomains().forEach(d -> types.put(d, type));
        });
        return new org.parley.gateway.routing.PartnerTypes(types, org.parley.gateway.routing.PartnerTypes.Type.FEDERATED);
    }

    /** Certificate names accepted from the front end: configured, else the front-end hosts and the Lync domains. */
    public static Set<String> trustedPeers(LyncProperties lync) {
        Set<String> trusted = new LinkedHashSet<>(lync.trustedPeers());
        if (trusted.isEmpty()) {
            lync.frontEndTargets().forEach(f -> trusted.add(f.host()));
            trusted.addAll(lync.domains());
        }
        return trusted;
    }

    /** The XMPP domains SIP users may address: partners (and their additional domains), routes, and parley.xmpp.domains. */
    public static Set<String> gatewayDomains(ParleyProperties p) {
        Set<String> xmppDomains = new HashSet<>(p.xmpp().s2s().partners().keySet());
        p.xmpp().s2s().partners().values().forEach(partner -> xmppDomains.addAll(partner.additionalDomains()));
        p.xmpp().s2s().routes().keySet().forEach(xmppDomains::add);
        xmppDomains.addAll(p.xmpp().domains());
        return xmppDomains;
    }

    private static org.parley.sip.config.SipTimers timers(LyncProperties lync) {
        org.parley.sip.config.SipTimers d = org.parley.sip.config.SipTimers.defaults();
        return new org.parley.sip.config.SipTimers(lync.subscriptionExpires(), d.minExpires(), d.maxExpires(), d.notifyInterval(),
                d.retryBackoff(), d.imSessionIdle(), lync.keepAlive(), lync.optionsProbe());
    }

    @Bean(destroyMethod = "")
    SipEndpoint sipEndpoint(ParleyProperties p, GatewayTls tls, AddressMapper mapper, Router router, Clock clock) {
        LyncProperties lync = p.lync();
        List<HostPort> frontEnds = lync.frontEndTargets().stream().map(hp -> new HostPort(hp.host(), hp.port())).toList();
        Set<String> xmppDomains = gatewayDomains(p);
        SipEndpointConfig config = new SipEndpointConfig(lync.poolFqdn(), lync.computerFqdn(), lync.listenAddress(), lync.listenPort(),
                lync.sipTransport(), tls.sip(), frontEnds, lync.connectTimeout(),
                lync.requestTimeout(), lync.targetBackoff(),
                xmppDomains, lync.sipDialect(), timers(lync))
                .withDomainDialects(lync.sipDialects().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        e -> e.getKey().toLowerCase(java.util.Locale.ROOT), java.util.Map.Entry::getValue)));
        return new SipEndpoint(config, mapper, org.parley.sip.SipSides.all(router), clock, reason -> LOG.log(System.Logger.Level.WARNING, "SIP TLS: " + reason),
                tls.rotating());
    }

    @Bean
    DialbackKeys dialbackKeys(ParleyProperties p) {
        String secret = p.xmpp().s2s().dialbackSecret();
        return secret.isEmpty() ? DialbackKeys.random() : new DialbackKeys(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The federation policy {@code parley.xmpp.s2s} describes (public: the docs' examples are checked against it). */
    @Bean
    public static PartnerPolicy partnerPolicy(ParleyProperties p) {
        XmppProperties.S2s s2s = p.xmpp().s2s();
        Map<String, PartnerRules> partners = new HashMap<>();
        s2s.partners().forEach((domain, partner) -> partners.put(domain, new PartnerRules(partner.tls().equals("required"),
                partner.saslExternal().equals("required"), partner.dialback(), Set.copyOf(partner.additionalDomains()), Set.copyOf(partner.pin()))));
        return new PartnerPolicy(partners, Set.copyOf(s2s.denied()), s2s.unknownPartners().equals("allow") ? PartnerRules.DEFAULT : null);
    }

    /** The static s2s routes {@code parley.xmpp.s2s.routes} describes. */
    @Bean
    public static PartnerTargets partnerTargets(ParleyProperties p) {
        Map<String, S2sTarget> routes = new HashMap<>();
        p.xmpp().s2s().routes().forEach((domain, target) -> {
            HostAndPort hp = HostAndPort.parse(target, "parley.xmpp.s2s.routes." + domain);
            routes.put(domain, new S2sTarget(hp.host(), hp.port()));
        });
        return new PartnerTargets(routes, SrvResolver.system());
    }

    @Bean(destroyMethod = "")
    OutboundStreams outboundStreams(GatewayTls tls, ModelToXmpp xmppEncoder, PartnerTargets targets, PartnerPolicy policy, DialbackKeys keys,
                                    Router router, Clock clock) {
        // failures are also returned through each send's future; the router reads those, so the callback only logs
        return new OutboundStreams(tls.xmpp(), xmppEncoder, targets, policy, keys,
                error -> LOG.log(System.Logger.Level.INFO, "XMPP delivery failed: " + error.condition() + " " + error.text()),
                5000, 1000, Duration.ofSeconds(30), clock);
    }

    @Bean
    ComponentLinks componentLinks(ParleyProperties p, AddressMapper mapper, ModelToXmpp xmppEncoder, Router router) {
        return new ComponentLinks(p.xmpp().component(), p.lync().domains(), new XmppToModel(mapper), xmppEncoder, router,
                new IqHandler(Set.copyOf(p.lync().domains()), "Parley"));
    }

    @Bean
    XmppListeners xmppListeners(ParleyProperties p, GatewayTls tls, AddressMapper mapper, PartnerPolicy policy, DialbackKeys keys,
                                PartnerTargets targets, Router router, OutboundStreams outbound) {
        Set<String> local = Set.copyOf(p.lync().domains());
        InboundDispatcher dispatcher = new InboundDispatcher(new XmppToModel(mapper), new IqHandler(local, "Parley"), router);
        return new XmppListeners(p.xmpp().s2s(), local, tls.xmpp(), policy, dispatcher, outbound::sendReply, keys,
                new DialbackVerifier(targets, tls.xmpp(), 10_000));
    }
}
