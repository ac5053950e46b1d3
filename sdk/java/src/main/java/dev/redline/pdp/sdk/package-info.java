/**
 * The Redline PDP's Java SDK: model-serving code asks <b>allow / deny / why</b> before the model
 * acts, and the answer is never an allow the PDP did not make.
 *
 * <ul>
 *   <li>{@link dev.redline.pdp.sdk.PdpClient}: blocking {@code decide}, {@code decideAsync}, and
 *       {@code enforce}, which runs an action only when allowed;
 *   <li>{@link dev.redline.pdp.sdk.ContractInput}: the contract policy's input document, typed;
 *       {@link dev.redline.pdp.sdk.DecisionInput#of} for any other policy;
 *   <li>{@link dev.redline.pdp.sdk.Decision}, {@link dev.redline.pdp.sdk.Violation},
 *       {@link dev.redline.pdp.sdk.Obligation}: the answer, as immutable values;
 *   <li>{@link dev.redline.pdp.sdk.PolicyDeniedException}: what {@code enforce} throws on deny.
 * </ul>
 *
 * <p>When the PDP cannot decide (unreachable, too slow, an error status), the SDK denies itself
 * with code {@code PDP_UNAVAILABLE}, {@code PDP_TIMEOUT} or {@code PDP_ERROR}, clause
 * {@code pdp/fail-closed}: see {@link dev.redline.pdp.sdk.PdpClient}.
 */
package dev.redline.pdp.sdk;
