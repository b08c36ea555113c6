package org.parley.sip.testing;

/** msrtc categories documents as a Lync front end sends them ([MS-PRES] §4 examples), shared by the tests. */
public final class LyncCategoryDocuments {

    /** alice@contoso.com in a meeting (6500, in-a-meeting) with the personal note "Quarterly review". */
    public static final String MEETING = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T03:00:00.000\" container=\"300\" version=\"7\" expireType=\"static\">"
            + "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" manual=\"false\" xsi:type=\"aggregateState\">"
            + "<availability>6500</availability><activity token=\"in-a-meeting\" minAvailability=\"6500\" maxAvailability=\"8999\"/></state></category>"
            + "<category name=\"note\" instance=\"0\" publishTime=\"2026-01-02T02:00:00.000\" container=\"300\" version=\"2\" expireType=\"static\">"
            + "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"personal\" uri=\"\">Quarterly review</body></note></category></categories>";

    private LyncCategoryDocuments() {
    }
}
