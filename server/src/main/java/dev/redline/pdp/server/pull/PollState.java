package dev.redline.pdp.server.pull;

import java.time.Instant;
import java.util.Optional;

/** Where the PDP polls for bundles, when it last did, and the ETag of what it has. */
public record PollState(String url, Optional<Instant> lastPoll, String etag) {}
