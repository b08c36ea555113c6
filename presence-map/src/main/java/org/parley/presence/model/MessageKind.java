package org.parley.presence.model;

/** XMPP message types that Parley translates (groupchat is refused by the xmpp module). */
public enum MessageKind { CHAT, NORMAL, HEADLINE }
