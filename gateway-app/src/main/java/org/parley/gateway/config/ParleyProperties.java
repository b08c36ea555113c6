package org.parley.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code parley.*}. Every value has a default that starts a self-contained
 * development gateway on loopback; docs/configuration.md describes each one for production.
 *
 * @param dataDir where the embedded store and the generated development PKI live
 */
@ConfigurationProperties("parley")
@Validated
public record ParleyProperties(
        @DefaultValue("./parley-data") @NotNull(message = "set parley.data-dir to a writable directory") Path dataDir,
        @DefaultValue @Valid LyncProperties lync,
        @DefaultValue @Valid XmppProperties xmpp,
        @DefaultValue @Valid TlsProperties tls,
        @DefaultValue @Valid AdminProperties admin,
        @DefaultValue @Valid ClusterProperties cluster) {

    /** The same configuration with {@code xmpp.s2s.partners} replaced. */
    public ParleyProperties withPartners(java.util.Map<String, XmppProperties.Partner> partners) {
        return new ParleyProperties(dataDir, lync, xmpp.withPartners(partners), tls, admin, cluster);
    }
}
