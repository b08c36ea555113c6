package org.parley.presence.model;

/**
 * Everything that crosses a module boundary in Parley is one of these immutable records.
 * {@code from} and {@code to} are in the scheme of the side the event came from (or is going to).
 * Serializable (values only, no behaviour) so that a clustered gateway can hand an event to the member
 * that owns it; the cluster admits only this package's classes when it deserializes.
 */
public sealed interface GatewayEvent extends java.io.Serializable
        permits PresenceUpdate, ChatMessage, ChatStateChange, Receipt, SubscriptionEvent, GatewayError {

    Address from();

    /** May be {@code null} for presence broadcast to all watchers. */
    Address to();
}
