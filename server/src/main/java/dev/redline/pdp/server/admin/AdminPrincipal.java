package dev.redline.pdp.server.admin;

/**
 * Who is calling the admin API.
 *
 * @param name the token's name, stored with every bundle it pushes
 * @param mayChangePolicy false for read-only tokens (list and status only)
 */
public record AdminPrincipal(String name, boolean mayChangePolicy) {}
