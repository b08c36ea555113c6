package org.parley.gateway.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts file, because a corrupted one breaks a trusted application's start-up in ways DNS
 * checks do not show: malformed lines, the local names listed twice with different addresses,
 * and this computer's FQDN mapped to loopback (the front end then calls back to itself).
 * localhost and its kin are not judged (they belong on loopback), and no fix ever touches their
 * lines: remapping localhost breaks every local service.
 */
public final class HostsFileChecks {

    private static final String AREA = "hosts";
    private static final Pattern ADDRESS = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+(%\\S+)?");

    public List<Check> run(Path hosts, Set<String> localNames) {
        List<Check> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(hosts);
        } catch (IOException e) {
            out.add(Check.warn(AREA, "readable", hosts + ": " + e.getMessage(), "check the file's permissions"));
            return out;
        }
        List<String> malformed = new ArrayList<>();
        Map<String, List<String>> addressesByName = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length < 2 || !ADDRESS.matcher(fields[0]).matches()) {
                malformed.add("line " + (i + 1) + ": \"" + line.strip() + "\"");
                continue;
            }
            for (int f = 1; f < fields.length; f++) {
                addressesByName.computeIfAbsent(fields[f].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(fields[0]);
            }
        }
        out.add(malformed.isEmpty() ? Check.ok(AREA, "well formed", hosts.toString())
                : Check.fail(AREA, "well formed", String.join("; ", malformed), "fix or remove these lines in " + hosts + ": address, then names"));
        for (String name : localNames) {
            if (HostNames.isLoopbackName(name) || HostNames.ipLiteral(name).isPresent()) {
                // localhost belongs on loopback and its lines to the system; an address is no name to map.
                // Whether peers can reach the configured host is the sip computer-fqdn check's question.
                continue;
            }
            List<String> addresses = addressesByName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
            if (addresses.stream().distinct().count() > 1) {
                out.add(Check.fail(AREA, name + " listed once", "mapped to " + addresses, "keep one line for " + name + " in " + hosts));
            } else if (!addresses.isEmpty() && HostNames.isLoopback(addresses.get(0))) {
                out.add(Check.fail(AREA, name + " not on loopback", "mapped to the loopback address " + addresses.get(0),
                        "give " + name + " the address the front ends reach this computer at, or take " + name
                                + " off that line and rely on DNS — change only " + name + "; leave the localhost lines as they are"));
            } else {
                out.add(Check.ok(AREA, name, addresses.isEmpty() ? "not listed (DNS decides)" : "→ " + addresses.get(0)));
            }
        }
        return out;
    }
}
