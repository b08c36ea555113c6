/**
 * Parley's SIP side: a trusted-application endpoint toward the Lync / Skype for Business front
 * end (and RFC SIP presence servers) over mutual TLS, built on JAIN-SIP. What leaves this module
 * are presence-map model events ({@code org.parley.presence.model}).
 */
package org.parley.sip;
