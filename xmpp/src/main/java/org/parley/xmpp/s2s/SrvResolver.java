package org.parley.xmpp.s2s;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * RFC 6120 §3.2: {@code _xmpp-server._tcp.<domain>} SRV records, by priority (weight only breaks
 * ties here), with the A/AAAA fallback to {@code <domain>:5269} when there are none.
 */
public final class SrvResolver {

    /** Looks up SRV records; the JDK's DNS provider in production, a table in tests. */
    @FunctionalInterface
    public interface Lookup {
        List<String> srv(String name) throws NamingException;
    }

    private final Lookup lookup;

    public SrvResolver(Lookup lookup) {
        this.lookup = lookup;
    }

    public static SrvResolver system() {
        return new SrvResolver(name -> {
            Hashtable<String, String> env = new Hashtable<>();
            env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
            env.put("com.sun.jndi.dns.timeout.initial", "2000");
            env.put("com.sun.jndi.dns.timeout.retries", "1");
            DirContext ctx = new InitialDirContext(env);
            try {
                Attributes attrs = ctx.getAttributes(name, new String[] {"SRV"});
                Attribute srv = attrs.get("SRV");
                List<String> out = new ArrayList<>();
                if (srv != null) {
                    NamingEnumeration<?> values = srv.getAll();
                    while (values.hasMore()) {
                        out.add(values.next().toString());
                    }
                }
                return out;
            } finally {
                ctx.close();
            }
        });
    }

    /** Targets for a partner domain, best first; never empty (the host fallback comes last). */
    public List<S2sTarget> targets(String domain) {
        List<String[]> records = new ArrayList<>();
        try {
            for (String r : lookup.srv("_xmpp-server._tcp." + domain)) {
                String[] f = r.trim().split("\\s+");
                if (f.length == 4) {
                    records.add(f);
                }
            }
        } catch (NamingException | RuntimeException e) {
            // no SRV (or no DNS at all): the host fallback below applies
        }
        records.sort(Comparator.<String[]>comparingInt(f -> Integer.parseInt(f[0]))
                .thenComparing(f -> -Integer.parseInt(f[1])));
        List<S2sTarget> targets = new ArrayList<>();
        for (String[] f : records) {
            String host = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
            if (!host.isEmpty()) {
                targets.add(new S2sTarget(host, Integer.parseInt(f[2])));
            }
        }
        if (targets.isEmpty()) {
            targets.add(new S2sTarget(domain, 5269));
        }
        return targets;
    }
}
