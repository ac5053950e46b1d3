package dev.redline.pdp.server.store;

import java.time.Instant;

/** Which stored bundle is evaluated in the shadow of the active one, and since when. */
public record ShadowChoice(String digest, Instant startedAt) {}
