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
 * RFC 6120 §3.2 and XEP-0368: {@code _xmpps-server._tcp} (direct TLS) and
 * {@code _xmpp-server._tcp} (STARTTLS) SRV records merged by priority — direct TLS first on equal
 * priority, weight breaking remaining ties — with the A/AAAA fallback to {@code <domain>:5269}
 * when there are none.
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
        return new SrvResolver(systemLookup());
    }

    /** SRV records from the JDK's DNS provider (2 s timeout, one retry). */
    public static Lookup systemLookup() {
        return name -> {
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
        };
    }

    private record Record(int priority, int weight, S2sTarget target) {
    }

    /** Targets for a partner domain, best first; never empty (the host fallback comes last). */
    public List<S2sTarget> targets(String domain) {
        List<Record> records = new ArrayList<>();
        collect("_xmpps-server._tcp." + domain, true, records);
        collect("_xmpp-server._tcp." + domain, false, records);
        records.sort(Comparator.comparingInt(Record::priority)
                .thenComparing(r -> !r.target().directTls())
                .thenComparing(r -> -r.weight()));
        List<S2sTarget> targets = new ArrayList<>();
        for (Record r : records) {
            targets.add(r.target());
        }
        if (targets.isEmpty()) {
            targets.add(new S2sTarget(domain, 5269));
        }
        return targets;
    }

    private void collect(String name, boolean directTls, List<Record> into) {
        try {
            for (String r : lookup.srv(name)) {
                String[] f = r.trim().split("\\s+");
                if (f.length != 4) {
                    continue;
                }
                String host = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                // RFC 2782: a target of "." means the service is decidedly not available
                if (!host.isEmpty()) {
                    into.add(new Record(Integer.parseInt(f[0]), Integer.parseInt(f[1]), new S2sTarget(host, Integer.parseInt(f[2]), directTls)));
                }
            }
        } catch (NamingException | RuntimeException e) {
            // no such records (or no DNS at all): other records or the host fallback apply
        }
    }
}
