package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.InvalidBundleException;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyCheck;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.engine.PolicyLoadException;
import dev.redline.pdp.server.policy.ActivationException.Kind;
import dev.redline.pdp.server.policy.BundleUpload.Activation;
import dev.redline.pdp.server.policy.PolicyStatus.ActivationError;
import dev.redline.pdp.server.store.ActiveChoice;
import dev.redline.pdp.server.store.BundleStore;
import dev.redline.pdp.server.store.ShadowChoice;
import dev.redline.pdp.server.store.StoreException;
import dev.redline.pdp.server.store.StoredBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The policy lifecycle: validates bundles completely before anything changes, stores them,
 * activates them atomically, rolls back, and remembers what went wrong.
 *
 * <p>Changes are serialized (one push or activation at a time); decisions never wait for them.
 * A bundle is stored and fully loaded before anything else changes; then the active choice is
 * written to disk, and only once it is written does the engine swap. So the disk never names a
 * bundle that could not be served, and a caller told the switch failed still sees the old
 * bundle deciding, now and after a restart.
 */
public final class PolicyManager {
    /** What {@link PolicyEngine#prepare} and {@link PolicyEngine#validate} check. */
    private static final List<String> ENGINE_CHECKS = List.of("policy.wasm compiles", "Wasm ABI 1.3",
            "builtins provided by the host", "manifest entrypoints exported", "smoke evaluation of every entrypoint");

    private final PolicyEngine engine;
    private final BundleValidation validation;
    private final BundleStore store;
    private final int keep;
    private final Clock clock;
    private final Listener listener;
    private final ActivationGate gate;
    private final ShadowTarget shadow;

    private Optional<Instant> lastActivation = Optional.empty();
    private Optional<ActivationError> lastError = Optional.empty();
    /** The warnings of the bundle that decides now. */
    private List<String> activeWarnings = List.of();

    /** Told of what the manager does, e.g. to report health or count it. */
    public interface Listener {
        /** {@code bundle} became active. */
        void activated(Bundle bundle);

        /** A push, poll, activation or rollback was refused for {@code kind}. */
        void refused(ActivationException.Kind kind);
    }

    /**
     * @param keep how many bundles the store keeps (the active one and its rollback target are
     *     always kept)
     * @param onActivated told of every bundle that became active (e.g. to report health)
     */
    public PolicyManager(PolicyEngine engine, BundleReader reader, BundleStore store, int keep, Clock clock,
            Consumer<Bundle> onActivated) {
        this(engine, reader, store, keep, clock, new Listener() {
            @Override
            public void activated(Bundle bundle) {
                onActivated.accept(bundle);
            }

            @Override
            public void refused(ActivationException.Kind kind) {}
        });
    }

    /** As above, with a listener told of refusals too. */
    public PolicyManager(PolicyEngine engine, BundleReader reader, BundleStore store, int keep, Clock clock,
            Listener listener) {
        this(engine, reader, store, keep, clock, listener, ActivationGate.NONE);
    }

    /** As above, with the gate a gated push must pass before it activates. */
    public PolicyManager(PolicyEngine engine, BundleReader reader, BundleStore store, int keep, Clock clock,
            Listener listener, ActivationGate gate) {
        this(engine, reader, store, keep, clock, listener, gate, ShadowTarget.NONE);
    }

    /** As above, with where a shadowed bundle is evaluated ({@link #shadow}). */
    public PolicyManager(PolicyEngine engine, BundleReader reader, BundleStore store, int keep, Clock clock,
            Listener listener, ActivationGate gate, ShadowTarget shadow) {
        this.gate = gate;
        this.shadow = shadow;
        this.engine = engine;
        this.validation = new BundleValidation(reader, engine);
        this.store = store;
        this.keep = keep;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Validates, stores and, when the upload asks, activates a bundle archive.
     *
     * @return the stored record and the checks that ran on it
     */
    public synchronized PushResult push(BundleUpload upload) throws ActivationException {
        String name = upload.name();
        byte[] archive = upload.archive();
        boolean activate = upload.activates();
        String source = upload.origin().source();
        try {
            Bundle bundle = read(name, archive);
            if (activate && activeDigest().filter(bundle.digest()::equals).isPresent()) {
                // Already deciding: the engine's checks ran when it was activated, not now.
                return new PushResult(store.get(bundle.digest()).orElseThrow(() -> new StoreException(
                        "the active bundle " + bundle.digest() + " is missing from the store", null)),
                        readerChecks(bundle), true, activeWarnings);
            }
            LoadedPolicy loaded = activate ? validation.prepare(bundle) : null;
            StoredBundle record;
            List<String> warnings;
            try {
                if (upload.gated()) {
                    gate.check(loaded, upload); // before anything is stored: a refused push changes nothing
                }
                PolicyCheck check = loaded != null ? loaded.check() : engine.validate(bundle);
                warnings = BundleWarnings.of(check, bundle.dataJson());
                record = new StoredBundle(bundle.digest(), bundle.revision(), name, clock.instant(),
                        upload.origin().pushedBy(), bundle.sizeBytes(), entrypoints(bundle, loaded), bundle.signedBy());
                store.put(archive, existingOr(record));
            } catch (ActivationException | StoreException | RuntimeException e) {
                if (loaded != null) {
                    loaded.close();
                }
                throw e;
            }
            if (activate) {
                switchTo(loaded, record.digest(), false);
            }
            prune();
            List<String> validated = new ArrayList<>(readerChecks(bundle));
            validated.addAll(ENGINE_CHECKS);
            return new PushResult(existingOr(record), validated, activate, warnings);
        } catch (InvalidBundleException e) {
            throw refused(BundleValidation.refusal(name, e), source);
        } catch (PolicyLoadException e) {
            throw refused(BundleValidation.refusal(name, e), source);
        } catch (StoreException e) {
            throw refused(Kind.STORAGE, e.getMessage(), e, source);
        } catch (ActivationException e) {
            throw refused(e, source);
        }
    }

    /**
     * Chooses the bundle that decides first, in order: {@code bundleFile}; else the bundle that
     * was active when the PDP last stopped (replaced by this version's built-in bundle if it was
     * the built-in one); else, when {@code awaitPoll}, nothing until the first poll succeeds;
     * else the built-in contract bundle.
     *
     * @throws ActivationException when the chosen bundle cannot decide: the PDP must not start
     * @throws IOException when the bundle file cannot be read
     */
    public synchronized void startUp(Optional<Path> bundleFile, boolean awaitPoll)
            throws ActivationException, IOException {
        chooseFirst(bundleFile, awaitPoll);
        restoreShadow();
    }

    private void chooseFirst(Optional<Path> bundleFile, boolean awaitPoll) throws ActivationException, IOException {
        BundleUpload.Origin startup = new BundleUpload.Startup();
        if (bundleFile.isPresent()) {
            Path file = bundleFile.get();
            byte[] archive;
            try {
                archive = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new ActivationException(Kind.NOT_FOUND, "bundle file " + e.getFile() + " does not exist", e);
            }
            push(new BundleUpload(file.getFileName().toString(), archive, startup, Activation.ACTIVATE));
            return;
        }
        if (restoreActive()) {
            // A newer server version ships a newer built-in contract: serve that one.
            if (status().active().map(b -> b.name().equals(BuiltInBundle.NAME)).orElse(false)) {
                push(new BundleUpload(BuiltInBundle.NAME, BuiltInBundle.archive(), startup, Activation.ACTIVATE));
            }
            return;
        }
        if (lastError.isPresent()) {
            throw new ActivationException(Kind.INVALID_BUNDLE, lastError.get().message(), null);
        }
        if (!awaitPoll) {
            push(new BundleUpload(BuiltInBundle.NAME, BuiltInBundle.archive(), startup, Activation.ACTIVATE));
        }
    }

    /**
     * Evaluates a stored bundle in the shadow of the active one from now on, replacing any shadow
     * before it; the choice is stored, so a restart shadows it again.
     *
     * @throws ActivationException of {@link Kind#NOT_FOUND} when no stored bundle has {@code digest};
     *     {@link Kind#INVALID_BUNDLE} when it is the active bundle or can no longer be served
     */
    public synchronized ShadowChoice shadow(String digest, String source) throws ActivationException {
        if (activeDigest().filter(digest::equals).isPresent()) {
            throw refused(Kind.INVALID_BUNDLE, "bundle " + digest + " is the active bundle: shadowing it would"
                    + " compare it with itself", null, source);
        }
        LoadedPolicy loaded;
        try {
            loaded = loadStored(digest, "shadowed");
        } catch (ActivationException e) {
            throw refused(e, source);
        }
        ShadowChoice choice = new ShadowChoice(digest, clock.instant());
        try {
            store.setShadow(Optional.of(choice));
        } catch (StoreException e) {
            loaded.close();
            throw refused(Kind.STORAGE, e.getMessage(), e, source);
        }
        shadow.start(loaded, choice.startedAt());
        return choice;
    }

    /**
     * Ends shadow evaluation.
     *
     * @return the shadow that ran, if one did
     */
    public synchronized Optional<ShadowChoice> stopShadow(String source) throws ActivationException {
        try {
            Optional<ShadowChoice> before = store.shadow();
            store.setShadow(Optional.empty());
            shadow.stop();
            return before;
        } catch (StoreException e) {
            throw refused(Kind.STORAGE, e.getMessage(), e, source);
        }
    }

    /** The bundle shadowing the active one, if any. */
    public synchronized Optional<ShadowChoice> shadowChoice() throws ActivationException {
        try {
            return store.shadow();
        } catch (StoreException e) {
            throw new ActivationException(Kind.STORAGE, e.getMessage(), e);
        }
    }

    /** Makes a stored bundle active. */
    public synchronized StoredBundle activate(String digest, String source) throws ActivationException {
        return activateStored(digest, false, source);
    }

    /** Makes the previously active bundle active again. */
    public synchronized StoredBundle rollback(String source) throws ActivationException {
        List<String> previous;
        try {
            previous = store.active().map(ActiveChoice::previous).orElse(List.of());
        } catch (StoreException e) {
            throw refused(Kind.STORAGE, e.getMessage(), e, source);
        }
        if (previous.isEmpty()) {
            throw refused(Kind.NOT_FOUND, "there is no previously active bundle to roll back to", null, source);
        }
        return activateStored(previous.get(0), true, source);
    }

    private StoredBundle activateStored(String digest, boolean rollingBack, String source) throws ActivationException {
        try {
            LoadedPolicy loaded = loadStored(digest, "shadowed");
            switchTo(loaded, digest, rollingBack);
            return store.get(digest).orElseThrow();
        } catch (ActivationException e) {
            throw refused(e.kind(), e.getMessage(), e, source);
        } catch (StoreException e) {
            throw refused(Kind.STORAGE, e.getMessage(), e, source);
        }
    }

    /** Reads and loads a stored bundle, checked as when it was pushed; the caller closes it. */
    private LoadedPolicy loadStored(String digest, String purpose) throws ActivationException {
        try {
            StoredBundle record = store.get(digest).orElseThrow(() -> new ActivationException(Kind.NOT_FOUND,
                    "no stored bundle has digest " + digest, null));
            return validation.prepare(read(record.name(), store.archive(digest)));
        } catch (InvalidBundleException | PolicyLoadException e) {
            throw new ActivationException(Kind.INVALID_BUNDLE, "stored bundle " + digest + " cannot be " + purpose + ": "
                    + e.getMessage(), e);
        } catch (StoreException e) {
            throw new ActivationException(Kind.STORAGE, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ActivationException(Kind.NOT_FOUND, e.getMessage(), e);
        }
    }

    /**
     * Shadows again the bundle the store says was shadowed, unless it has become the active one
     * since (an activation the PDP stopped in before it ended the shadow). A shadow that cannot be
     * loaded is reported in the status; the PDP starts without it.
     */
    private void restoreShadow() {
        try {
            Optional<ShadowChoice> choice = store.shadow();
            if (choice.isEmpty()) {
                return;
            }
            if (activeDigest().filter(choice.get().digest()::equals).isPresent()) {
                store.setShadow(Optional.empty());
                return;
            }
            shadow.start(loadStored(choice.get().digest(), "shadowed"), choice.get().startedAt());
        } catch (StoreException | ActivationException e) {
            lastError = Optional.of(new ActivationError("the stored shadow bundle cannot be shadowed: "
                    + e.getMessage(), clock.instant(), "startup"));
        }
    }

    /** Activating the shadowed bundle promotes it: its shadow ends. */
    private void endShadowOf(String activated) {
        try {
            if (store.shadow().filter(s -> s.digest().equals(activated)).isPresent()) {
                shadow.stop();
                store.setShadow(Optional.empty());
            }
        } catch (StoreException e) {
            // the activation stands; a restart finds the shadow equal to the active bundle and drops it
            lastError = Optional.of(new ActivationError("the shadow of the activated bundle could not be"
                    + " forgotten: " + e.getMessage(), clock.instant(), "activate"));
        }
    }

    /**
     * Restarts on the bundle the store says was active. Returns false when the store has none
     * (or it can no longer be served; the error is then in the status).
     */
    private boolean restoreActive() {
        try {
            Optional<ActiveChoice> choice = store.active();
            if (choice.isEmpty()) {
                return false;
            }
            StoredBundle record = store.get(choice.get().digest()).orElseThrow(() -> new StoreException(
                    "the active bundle " + choice.get().digest() + " is missing from the store", null));
            LoadedPolicy loaded = validation.prepare(read(record.name(), store.archive(record.digest())));
            engine.activate(loaded);
            activeWarnings = warningsOf(loaded);
            lastActivation = Optional.of(clock.instant());
            listener.activated(loaded.bundle());
            return true;
        } catch (StoreException | InvalidBundleException | PolicyLoadException e) {
            lastError = Optional.of(new ActivationError("the stored active bundle cannot be served: " + e.getMessage(),
                    clock.instant(), "startup"));
            return false;
        }
    }

    public synchronized List<StoredBundle> list() throws ActivationException {
        try {
            return store.list();
        } catch (StoreException e) {
            throw new ActivationException(Kind.STORAGE, e.getMessage(), e);
        }
    }

    public synchronized PolicyStatus status() {
        Optional<StoredBundle> active = Optional.empty();
        try {
            Optional<ActiveChoice> choice = store.active();
            if (choice.isPresent() && engine.activeBundle().map(b -> b.digest().equals(choice.get().digest())).orElse(false)) {
                active = store.get(choice.get().digest());
            }
        } catch (StoreException e) {
            // The status still reports the last activation and error; the store problem is in the log.
        }
        return new PolicyStatus(active, lastActivation, lastError, active.isPresent() ? activeWarnings : List.of());
    }

    /** The digest of the bundle that decides now, if any. */
    public Optional<String> activeDigest() {
        return engine.activeBundle().map(Bundle::digest);
    }

    /** Records a failure that happened outside the manager (e.g. a poll that could not fetch). */
    public synchronized void recordError(String message, String source) {
        lastError = Optional.of(new ActivationError(message, clock.instant(), source));
    }

    private Bundle read(String name, byte[] archive) throws InvalidBundleException {
        return validation.read(name, archive);
    }

    /**
     * Persists the new active choice, then swaps the engine. In that order a failed write leaves
     * everything as it was (the loaded policy is dropped), and a crash between the two restarts on
     * the new bundle, which was stored and fully checked already.
     */
    private void switchTo(LoadedPolicy loaded, String digest, boolean rollingBack) throws StoreException {
        Optional<ActiveChoice> before = Optional.empty();
        try {
            before = store.active();
            store.setActive(new ActiveChoice(digest, clock.instant(), LifecycleRules.historyAfter(before, digest, rollingBack)));
        } catch (StoreException | RuntimeException e) {
            loaded.close();
            restore(before, e);
            throw e;
        }
        engine.activate(loaded);
        activeWarnings = warningsOf(loaded);
        lastActivation = Optional.of(clock.instant());
        listener.activated(loaded.bundle());
        endShadowOf(digest);
    }

    private static List<String> warningsOf(LoadedPolicy loaded) {
        return BundleWarnings.of(loaded.check(), loaded.bundle().dataJson());
    }

    /** A write that failed after its rename would leave the disk naming a bundle that is not serving. */
    private void restore(Optional<ActiveChoice> before, Exception failure) {
        if (before.isEmpty()) {
            return;
        }
        try {
            store.setActive(before.get());
        } catch (StoreException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Keeps the {@code keep} most recently pushed bundles, and always the active one and its
     * rollback target. The rollback history is first cut to the bundles kept, so that every
     * rollback finds its bundle, and only then are the others deleted.
     */
    private void prune() throws StoreException {
        Optional<ActiveChoice> choice = store.active();
        List<StoredBundle> stored = store.list();
        Set<String> storedDigests = new HashSet<>();
        stored.forEach(b -> storedDigests.add(b.digest()));
        Set<String> kept = LifecycleRules.kept(stored, choice, keep);
        store.shadow().ifPresent(shadowed -> kept.add(shadowed.digest()));
        if (choice.isPresent()) {
            ActiveChoice active = choice.get();
            List<String> reachable = LifecycleRules.reachable(active, kept, storedDigests);
            if (!reachable.equals(active.previous())) {
                store.setActive(new ActiveChoice(active.digest(), active.activatedAt(), reachable));
            }
        }
        store.retainOnly(kept);
    }

    /** A bundle pushed again keeps its first record (who pushed it first, and when). */
    private StoredBundle existingOr(StoredBundle record) throws StoreException {
        return store.get(record.digest()).orElse(record);
    }

    private static List<String> entrypoints(Bundle bundle, LoadedPolicy loaded) {
        return loaded != null ? List.copyOf(loaded.entrypointNames()) : bundle.manifest().wasmEntrypoints();
    }

    /** What {@link BundleReader} checked before the bundle object existed. */
    private static List<String> readerChecks(Bundle bundle) {
        return List.of("archive (gzip, tar, paths, size limits)", "manifest (roots disjoint)",
                bundle.signedBy().isEmpty() ? "signature: none (not required)" : "signature: key " + bundle.signedBy(),
                "data parses");
    }

    private ActivationException refused(ActivationException refusal, String source) {
        return refused(refusal.kind(), refusal.getMessage(), refusal.getCause(), source);
    }

    private ActivationException refused(Kind kind, String message, Throwable cause, String source) {
        lastError = Optional.of(new ActivationError(message, clock.instant(), source));
        listener.refused(kind);
        return new ActivationException(kind, message, cause);
    }
}
