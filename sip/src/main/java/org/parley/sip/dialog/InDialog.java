package org.parley.sip.dialog;

import java.util.List;

/** A record that keeps a {@link Dialog} (a subscription, an IM session): the dialog's state read through it. */
public interface InDialog {

    Dialog dialog();

    default String callId() {
        return dialog().callId();
    }

    default String localTag() {
        return dialog().localTag();
    }

    default String remoteTag() {
        return dialog().remoteTag();
    }

    default String localUri() {
        return dialog().localUri();
    }

    default String remoteUri() {
        return dialog().remoteUri();
    }

    default String remoteTarget() {
        return dialog().remoteTarget();
    }

    default List<String> routeSet() {
        return dialog().routeSet();
    }

    default long localCseq() {
        return dialog().localCseq();
    }
}
