package org.parley.presence.lync;

import java.util.List;
import org.parley.presence.model.Activity;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.PresenceUpdate;

/**
 * What one {@code application/msrtc-event-categories+xml} document says about a presentity.
 * A NOTIFY may carry only the categories that changed, so each part is optional and
 * {@link #applyTo} merges it over the presence known before.
 *
 * @param presentity     the {@code uri} of the categories element
 * @param state          the aggregated state, {@code null} if the document has no state category
 * @param activityText   custom activity text of the chosen state, {@code null} if none
 * @param notes          note texts, {@code null} if the document has no note category
 *                       (an empty list means the note was cleared)
 */
public record CategoriesSnapshot(Address presentity, LyncState state, String activityText, List<LocalizedText> notes) {

    public CategoriesSnapshot {
        notes = notes == null ? null : List.copyOf(notes);
    }

    /**
     * The presence after this document: its parts override {@code previous}; with no previous
     * presence, a document without a state category yields {@link Availability#UNKNOWN}.
     */
    public PresenceUpdate applyTo(PresenceUpdate previous) {
        LyncState newState = state != null ? state : previous == null ? null : previous.lyncState();
        Availability availability = newState != null
                ? LyncAvailability.decode(newState.availability())
                : previous != null ? previous.availability() : Availability.UNKNOWN;
        Activity activity;
        if (state != null) {
            String rpid = LyncActivities.toRpid(state.activityToken());
            activity = rpid == null ? null : new Activity(rpid, activityText);
        } else {
            activity = previous == null ? null : previous.activity();
        }
        List<LocalizedText> texts = notes != null ? notes : previous == null ? List.of() : previous.statusTexts();
        Address to = previous == null ? null : previous.to();
        return new PresenceUpdate(presentity, to, availability, 0, texts, activity, newState);
    }
}
