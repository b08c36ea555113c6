package org.parley.sip.transport;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;

/**
 * JAIN-SIP's message log, switched off: Parley records every message in its own translation
 * trace, where bodies are redacted unless configured otherwise. A second, unredacted log here
 * would defeat that.
 */
public final class SilentServerLogger implements ServerLogger {

    @Override
    public void closeLogFile() {
        // no file
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        // see class comment
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        // see class comment
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        // see class comment
    }

    @Override
    public void logException(Exception ex) {
        // exceptions reach the stack logger
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing configurable
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
