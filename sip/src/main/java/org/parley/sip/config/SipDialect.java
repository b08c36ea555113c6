package org.parley.sip.config;

/** Which presence dialect the front end speaks: Microsoft's (msrtc categories, BENOTIFY) or RFC (PIDF). */
public enum SipDialect { LYNC, RFC }
