package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which of JAIN-SIP's complaints are expected network weather (DEBUG) and which are faults to show. */
class JdkStackLoggerTest {

    @Test
    void aPeerThatCannotBeReachedIsExpected() {
        assertThat(JdkStackLogger.expected(new IOException("Could not connect to /127.0.0.1:5062"))).isTrue();
        assertThat(JdkStackLogger.expected(new java.net.ConnectException("Connection refused"))).isTrue();
        assertThat(JdkStackLogger.expected(new java.net.SocketTimeoutException("connect timed out"))).isTrue();
        assertThat(JdkStackLogger.expected("Failed to connect /127.0.0.1:5062 but trying the advertised port=5062")).isTrue();
        assertThat(JdkStackLogger.expected("using default tls security policy")).isTrue();
        assertThat(JdkStackLogger.expected("Couldn't connect to peerAddress = /127.0.0.1 peerPort = 20453 key = tls:127.0.0.1:20453")).isTrue();
        assertThat(JdkStackLogger.expected("Old socket different than new socket on channel tls:127.0.0.1:20453")).isTrue();
    }

    @Test
    void aTlsFailureOrAnyOtherFaultIsNot() {
        assertThat(JdkStackLogger.expected(new javax.net.ssl.SSLHandshakeException("no cipher suites in common"))).isFalse();
        assertThat(JdkStackLogger.expected(new IOException("Broken pipe"))).isFalse();
        assertThat(JdkStackLogger.expected(new IllegalStateException("bug"))).isFalse();
        assertThat(JdkStackLogger.expected("Error is something specific")).isFalse();
    }
}
