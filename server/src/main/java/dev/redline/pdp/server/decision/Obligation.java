package dev.redline.pdp.server.decision;

/** What the caller must do when acting on an allowed decision. */
public record Obligation(String code, String message) {}
