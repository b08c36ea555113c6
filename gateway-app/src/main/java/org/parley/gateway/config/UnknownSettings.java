package org.parley.gateway.config;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses a {@code parley.*} setting that nothing reads — {@code unknown-partner: refuse} instead of
 * {@code unknown-partners} would otherwise leave federation open without a word. Environment variables
 * are not judged: their names map to properties ambiguously ({@code PARLEY_LYNC_POOL_FQDN}), and the
 * process environment holds variables meant for others. Partner entries are judged by {@link PartnerEntries}.
 */
final class UnknownSettings extends AbstractBindHandler {

    /** Names bound to a value: a scalar, a list or a map — everything under them is theirs. */
    private final Set<ConfigurationPropertyName> bound = new HashSet<>();

    UnknownSettings(BindHandler parent) {
        super(parent);
    }

    @Override
    public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
        Class<?> type = target.getType().resolve(Object.class);
        if (!type.getPackageName().equals(UnknownSettings.class.getPackageName())) {
            bound.add(name); // a configuration record is not a value: its unknown children are still unknown
        }
        return super.onSuccess(name, target, context, result);
    }

    @Override
    public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) throws Exception {
        if (name.equals(PartnerEntries.ROOT)) {
            Set<String> unknown = new TreeSet<>();
            for (ConfigurationPropertySource source : context.getSources()) {
                if (source instanceof IterableConfigurationPropertySource iterable && !fromEnvironmentVariables(source)) {
                    iterable.filter(PartnerEntries.ROOT::isAncestorOf).stream()
                            .filter(n -> !PartnerEntries.PARTNERS.isAncestorOf(n) && !isBound(n))
                            .forEach(n -> unknown.add(n.toString()));
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("no such setting: " + String.join(", ", unknown)
                        + " (docs/configuration.md lists every parley.* property)");
            }
        }
        super.onFinish(name, target, context, result);
    }

    /** A name is bound itself, or is a list element / map entry under a bound value ({@code domains[0]}). */
    private boolean isBound(ConfigurationPropertyName name) {
        for (ConfigurationPropertyName n = name; !n.isEmpty(); n = n.getParent()) {
            if (bound.contains(n)) {
                return true;
            }
        }
        return false;
    }

    static boolean fromEnvironmentVariables(ConfigurationPropertySource source) {
        Object underlying = source.getUnderlyingSource();
        return underlying instanceof org.springframework.core.env.PropertySource<?> ps
                && ps.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    }
}
