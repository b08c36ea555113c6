package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.concurrent.CompletableFuture;
import org.parley.gateway.routing.SipSide;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;

/**
 * The SIP side of a cluster member: requests go out from this member; presence, approvals and refusals for SIP
 * watchers go to every member, because each holds the dialogs of the watchers whose SUBSCRIBE the front end sent to it.
 */
final class FanOutSipSide implements SipSide {

    private final SipSide local;
    private final ITopic<PublishPresence> topic;
    private final HazelcastInstance hz;

    FanOutSipSide(SipSide local, HazelcastInstance hz) {
        this.local = local;
        this.hz = hz;
        this.topic = hz.getTopic(HazelcastConfigs.PRESENCE_TOPIC);
    }

    @Override
    public CompletableFuture<GatewayEvent> sendMessage(ChatMessage message) {
        return local.sendMessage(message);
    }

    @Override
    public void sendChatState(ChatStateChange change) {
        local.sendChatState(change);
    }

    @Override
    public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
        return local.subscribe(watcher, presentity);
    }

    @Override
    public void unsubscribe(Address watcher, Address presentity) {
        local.unsubscribe(watcher, presentity);
    }

    @Override
    public void publish(PresenceUpdate presence) {
        local.publish(presence);
        toOtherMembers(new PublishPresence(PublishPresence.Kind.PUBLISH, presence.from(), presence.to(), presence));
    }

    @Override
    public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
        local.authorize(presentity, watcher, current);
        toOtherMembers(new PublishPresence(PublishPresence.Kind.AUTHORIZE, presentity, watcher, current));
    }

    @Override
    public void reject(Address presentity, Address watcher) {
        local.reject(presentity, watcher);
        toOtherMembers(new PublishPresence(PublishPresence.Kind.REJECT, presentity, watcher, null));
    }

    /** Applies a presence change another member published to this member's SIP watchers (topic listener). */
    static void apply(PublishPresence p, SipSide local) {
        switch (p.kind()) {
            case PUBLISH -> local.publish(p.presence());
            case AUTHORIZE -> local.authorize(p.presentity(), p.watcher(), p.presence());
            case REJECT -> local.reject(p.presentity(), p.watcher());
        }
    }

    private void toOtherMembers(PublishPresence task) {
        if (!hz.getLifecycleService().isRunning()) {
            return; // this member has left: the others get presence from the member that receives it next
        }
        try {
            topic.publish(task);
        } catch (RuntimeException e) {
            // leaving while publishing: this member's own watchers have it already
        }
    }
}
