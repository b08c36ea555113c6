package org.parley.sip.testing;

import java.io.IOException;

/** The sip and gateway-app tests' name for {@link org.parley.presence.testing.FreePorts} (ports below the ephemeral range). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int next() throws IOException {
        return org.parley.presence.testing.FreePorts.next();
    }
}
