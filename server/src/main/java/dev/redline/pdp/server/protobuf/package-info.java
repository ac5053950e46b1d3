/**
 * Conversions between the PDP's own values (Jackson trees, instants) and the protobuf well-known
 * types, shared by every gRPC service and the CLI.
 */
package dev.redline.pdp.server.protobuf;
