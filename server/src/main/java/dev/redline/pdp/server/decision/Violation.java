package dev.redline.pdp.server.decision;

/** Why a request is denied: a contract code, the clause it enforces, and a human explanation. */
public record Violation(String code, String clause, String message) {}
