package org.parley.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Reads {@code parley.xmpp.s2s.partners} keyed by domain names as operators write them:
 * {@code partners: { fabrikam.example: { tls: required } }}.
 *
 * <p>Why this exists: Spring flattens that YAML into {@code partners.fabrikam.example.tls} and, for a map
 * whose values are objects, takes only the first element as the key — a partner "fabrikam" with default
 * rules, the real rules silently dropped (only the bracket form {@code "[fabrikam.example]"} survived).
 * The partner's settings are a closed set, so the key is everything between the prefix and the setting
 * name. Any entry that does not end in a setting stops start-up, naming the property. Maps whose values
 * are strings ({@code routes}, {@code lync.dialects}) keep their full dotted key in Spring already.
 */
public final class PartnerEntries extends AbstractBindHandler {

    static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("parley");
    static final ConfigurationPropertyName PARTNERS = ConfigurationPropertyName.of("parley.xmpp.s2s.partners");
    /** The partner's settings, as {@link XmppProperties.Partner} names them (kebab case), by their uniform form. */
    static final Map<String, String> SETTINGS = Map.of("tls", "tls", "saslexternal", "sasl-external", "dialback", "dialback",
            "additionaldomains", "additional-domains", "type", "type", "pin", "pin");

    private final BindHandler parent;
    private final PlaceholdersResolver placeholders;

    PartnerEntries(BindHandler parent, PlaceholdersResolver placeholders) {
        super(parent);
        this.parent = parent;
        this.placeholders = placeholders;
    }

    /** Wraps Spring's handler for every {@code @ConfigurationProperties} binding (service and CLI alike). */
    public static BindHandler around(BindHandler parent, PlaceholdersResolver placeholders) {
        return new PartnerEntries(new UnknownSettings(parent), placeholders);
    }

    // The whole of parley.* is where the partners are replaced: when only dotted entries exist Spring binds no
    // partner at all, and neither the map nor its parent reports a result that could be replaced.
    @Override
    public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
        return withPartners(name, context, super.onSuccess(name, target, context, result));
    }

    @Override
    public Object onCreate(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
        return withPartners(name, context, parent.onCreate(name, target, context, result));
    }

    private Object withPartners(ConfigurationPropertyName name, BindContext context, Object result) {
        return name.equals(ROOT) && result instanceof ParleyProperties p ? p.withPartners(read(context.getSources(), placeholders)) : result;
    }

    /** The partners in {@code sources} (highest precedence first), keyed by lower-case domain. */
    static Map<String, XmppProperties.Partner> read(Iterable<ConfigurationPropertySource> sources, PlaceholdersResolver placeholders) {
        // domain → setting → (list index or -1) → value, from the first source that sets that setting
        Map<String, Map<String, Map<Integer, Object>>> entries = new TreeMap<>();
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            if (UnknownSettings.fromEnvironmentVariables(source)) {
                // PARLEY_XMPP_S2S_PARTNERS_FABRIKAM_EXAMPLE_SASL_EXTERNAL cannot say where the domain ends: refuse, don't guess
                iterable.filter(PARTNERS::isAncestorOf).stream().findFirst().ifPresent(n -> {
                    throw new IllegalArgumentException("partners cannot be set by environment variables (" + n
                            + "): a variable cannot say where the domain ends; write them in the configuration file");
                });
                continue;
            }
            Map<String, Map<String, Map<Integer, Object>>> fromThisSource = new TreeMap<>();
            iterable.filter(PARTNERS::isAncestorOf).stream().forEach(name -> {
                Entry e = entry(name);
                fromThisSource.computeIfAbsent(e.domain, d -> new TreeMap<>()).computeIfAbsent(e.setting, s -> new TreeMap<>())
                        .put(e.index, source.getConfigurationProperty(name).getValue());
            });
            fromThisSource.forEach((domain, settings) -> settings.forEach((setting, values) ->
                    entries.computeIfAbsent(domain, d -> new TreeMap<>()).putIfAbsent(setting, values)));
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        entries.forEach((domain, settings) -> settings.forEach((setting, values) -> values.forEach((index, value) ->
                flat.put(PARTNERS + "[" + domain + "]." + setting + (index < 0 ? "" : "[" + index + "]"), value))));
        // the real prefix, so that an error names the property the operator wrote; placeholders as everywhere else
        return new Binder(List.of(new MapConfigurationPropertySource(flat)), placeholders)
                .bind(PARTNERS, Bindable.mapOf(String.class, XmppProperties.Partner.class)).orElse(Map.of());
    }

    private record Entry(String domain, String setting, int index) {
    }

    /** Splits {@code parley.xmpp.s2s.partners.<domain>.<setting>[<index>]}; refuses anything else, naming it. */
    private static Entry entry(ConfigurationPropertyName name) {
        int first = PARTNERS.getNumberOfElements();
        int last = name.getNumberOfElements() - 1;
        int index = -1;
        if (name.isNumericIndex(last)) {
            index = Integer.parseInt(name.getElement(last, Form.UNIFORM));
            last--;
        }
        // uniform: sasl-external, saslExternal and sasl_external are one setting, as everywhere in Spring
        String setting = last > first ? SETTINGS.get(name.getElement(last, Form.UNIFORM)) : null;
        if (setting == null) {
            throw new IllegalArgumentException("cannot read " + name + ": a partner entry is <domain>.<setting>, the settings being "
                    + String.join(", ", new java.util.TreeSet<>(SETTINGS.values()))
                    + " — for example partners: { fabrikam.example: { tls: required, sasl-external: required } }");
        }
        List<String> labels = new ArrayList<>();
        for (int i = first; i < last; i++) {
            labels.add(name.getElement(i, Form.ORIGINAL).toLowerCase(Locale.ROOT));
        }
        return new Entry(String.join(".", labels), setting, index);
    }
}
