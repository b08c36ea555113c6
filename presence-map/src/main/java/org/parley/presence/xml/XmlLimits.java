package org.parley.presence.xml;

/**
 * Caps applied by {@link SafeXmlParser}. Presence and message bodies are small; the defaults are
 * generous for real-world documents (a Lync categories NOTIFY with a dozen categories is ≈ 8 KiB)
 * and tight enough that a hostile body cannot exhaust memory.
 *
 * @param maxChars    maximum document length in characters
 * @param maxDepth    maximum element nesting
 * @param maxElements maximum number of elements in the document
 */
public record XmlLimits(int maxChars, int maxDepth, int maxElements) {

    public static final XmlLimits DEFAULT = new XmlLimits(256 * 1024, 32, 4096);

    public XmlLimits {
        if (maxChars <= 0 || maxDepth <= 0 || maxElements <= 0) {
            throw new IllegalArgumentException("XML limits must be positive");
        }
    }
}
