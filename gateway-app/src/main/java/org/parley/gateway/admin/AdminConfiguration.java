package org.parley.gateway.admin;

import java.io.IOException;
import org.parley.gateway.config.ParleyProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin token and the filter that demands it on /admin. */
@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

    private static final System.Logger LOG = System.getLogger(AdminConfiguration.class.getName());

    @Bean
    AdminToken adminToken(ParleyProperties p) throws IOException {
        AdminToken token = AdminToken.configuredOrGenerated(p.admin().token(), p.dataDir());
        if (token.file() != null) {
            LOG.log(System.Logger.Level.INFO, "admin API token is in " + token.file().toAbsolutePath() + " (set parley.admin.token to choose one)");
        }
        return token;
    }

    @Bean
    DryRun dryRun(ParleyProperties p, org.parley.presence.address.AddressMapper mapper, org.parley.gateway.store.RelationshipStore store,
                  org.parley.xmpp.adapt.XmppDryRun xmppWire, org.parley.sip.SipDryRun sipWire, java.time.Clock clock) {
        return new DryRun(mapper, store, xmppWire, sipWire, p.admin().showBodies(), clock);
    }

    @Bean
    FilterRegistrationBean<AdminAuthenticationFilter> adminAuthentication(AdminToken token, AdminPages pages) {
        FilterRegistrationBean<AdminAuthenticationFilter> r = new FilterRegistrationBean<>(new AdminAuthenticationFilter(token, pages.loginPage()));
        r.addUrlPatterns("/admin/*");
        r.setOrder(0);
        return r;
    }
}
