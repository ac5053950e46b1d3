package dev.redline.pdp.server.engine.builtins;

import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;

/**
 * {@code rand.intn} and {@code uuid.rfc4122}: random, but one value per key for the length of an
 * evaluation, as OPA caches them, so that a rule asking twice gets the same answer.
 */
final class RandomBuiltins {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins, EvaluationScope scope) {
        builtins.put("rand.intn", ops -> {
            String key = Operands.string("rand.intn", ops, 0);
            long n = Math.abs(Operands.integer("rand.intn", ops, 1));
            if (n == 0) {
                return Operands.integerNode(0);
            }
            return Operands.integerNode(scope.randoms().computeIfAbsent("intn:" + key + "-" + n,
                    k -> (long) RANDOM.nextInt((int) Math.min(n, Integer.MAX_VALUE))));
        });
        builtins.put("uuid.rfc4122", ops -> Operands.text(scope.uuids().computeIfAbsent(ValueText.write(ops[0]),
                k -> UUID.randomUUID().toString())));
    }
}
