package org.parley.presence.model;

/** XEP-0085 chat states. */
public enum ChatState { ACTIVE, COMPOSING, PAUSED, INACTIVE, GONE }
