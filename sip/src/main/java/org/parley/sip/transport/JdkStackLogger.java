package org.parley.sip.transport;

import gov.nist.core.StackLogger;
import java.lang.System.Logger.Level;
import java.util.Properties;

/**
 * Routes JAIN-SIP's internal logging to the JDK's {@link System.Logger} (JAIN-SIP would otherwise
 * need log4j 1.x, which Parley does not ship). Instantiated by JAIN-SIP from the
 * {@code gov.nist.javax.sip.STACK_LOGGER} property. Debug and trace stay off: they print whole
 * messages, bodies included, and bodies are redacted by default.
 */
public final class JdkStackLogger implements StackLogger {

    private final System.Logger log = System.getLogger("org.parley.sip.jain");

    @Override
    public void logStackTrace() {
        // stack dumps are debug noise
    }

    @Override
    public void logStackTrace(int traceLevel) {
        // stack dumps are debug noise
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        log.log(expected(ex) ? Level.DEBUG : Level.WARNING, "JAIN-SIP exception", ex);
    }

    /**
     * A peer that cannot be reached is an expected network event: Parley reports it once per state change
     * (FrontEndReachability, the transaction's error to the sender). JAIN-SIP's own ERROR with a stack trace
     * for every attempt would bury it, so it goes to DEBUG.
     */
    static boolean expected(Throwable ex) {
        if (ex instanceof javax.net.ssl.SSLException) {
            return false; // a TLS version, cipher or certificate problem is a fault to see, not weather
        }
        return ex instanceof java.net.ConnectException || ex instanceof java.net.NoRouteToHostException
                || ex instanceof java.net.SocketTimeoutException
                || ex instanceof java.io.IOException && ex.getMessage() != null && ex.getMessage().startsWith("Could not connect");
    }

    /** JAIN-SIP's messages that describe an expected condition rather than a fault. */
    static boolean expected(String message) {
        return message != null && (message.startsWith("Failed to connect") || message.startsWith("using default tls security policy")
                // its reconnect chatter when a peer's connection was lost and is made again
                || message.startsWith("Couldn't connect to peerAddress") || message.startsWith("retry suceeded")
                || message.startsWith("Old socket") || message.startsWith("New socket")
                || message.startsWith("There was an exception for the retry mechanism")
                || message.startsWith("Error is") && message.strip().length() <= "Error is".length());
    }

    @Override
    public void logDebug(String message) {
        // off: would print message bodies
    }

    @Override
    public void logDebug(String message, Exception ex) {
        // off: would print message bodies
    }

    @Override
    public void logTrace(String message) {
        // off: would print message bodies
    }

    @Override
    public void logFatalError(String message) {
        log.log(Level.ERROR, message);
    }

    @Override
    public void logError(String message) {
        log.log(expected(message) ? Level.DEBUG : Level.ERROR, message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return true;
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        // LogLevels: TRACE_DEBUG=32, TRACE_INFO=16, TRACE_WARN=8, TRACE_ERROR=4, TRACE_FATAL=2
        return logLevel <= TRACE_WARN;
    }

    @Override
    public void logError(String message, Exception ex) {
        log.log(expected(ex) ? Level.DEBUG : Level.ERROR, message, ex);
    }

    @Override
    public void logWarning(String message) {
        log.log(expected(message) ? Level.DEBUG : Level.WARNING, message);
    }

    @Override
    public void logInfo(String message) {
        log.log(Level.DEBUG, message);
    }

    @Override
    public void disableLogging() {
        // the JDK logger's configuration decides
    }

    @Override
    public void enableLogging() {
        // the JDK logger's configuration decides
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        // not logged
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing configurable here
    }

    @Override
    public String getLoggerName() {
        return "org.parley.sip.jain";
    }
}
