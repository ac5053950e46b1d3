package dev.redline.pdp.server.decision;

import java.util.List;

/** allow / violations / obligations as read from a policy result. */
record Verdict(boolean allow, List<Violation> violations, List<Obligation> obligations) {}
