package dev.atomic.policy.live;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.Alarm;
import dev.atomic.policy.learned.Calibration;
import dev.atomic.policy.learned.Features;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.traces.Trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * Policy 2's model for the running Engine: trained offline, on the trace generator's traces of fixed seeds (so the
 * same model every time, and nothing downloaded), with its alarm calibrated on them, and cached in a directory under
 * Atomic's home. The file's name carries a digest of what the model depends on (the features, the seeds, the
 * model's class), so a model trained by other code is never loaded; a file that does not read back is ignored.
 * Read through a filter that admits only the model's own classes, Tribuo's and the JDK's.
 */
public final class FailureModelCache {
    /** The seeds trained on: held apart from the benchmark's held-out ones (from 20001). */
    public static final List<Long> SEEDS = LongStream.rangeClosed(1, 10).boxed().toList();
    private static final ObjectInputFilter CLASSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=200;dev.atomic.policy.**;org.tribuo.**;com.oracle.labs.mlrg.olcut.**;java.**;!*");

    /** The model and the alarm chosen for it on its training traces. */
    public record Trained(FailureModel model, double threshold, int ticks) implements Serializable {
        public Alarm alarm() {
            return new Alarm(threshold, ticks);
        }
    }

    private FailureModelCache() {
    }

    /** The file a model of this code is cached in, under {@code dir}. */
    public static Path file(Path dir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String of = String.join(",", Features.NAMES) + "|" + SEEDS + "|" + FailureModel.HORIZON_SECONDS + "|"
                    + java.io.ObjectStreamClass.lookup(FailureModel.class).getSerialVersionUID();
            byte[] d = sha.digest(of.getBytes(StandardCharsets.UTF_8));
            return dir.resolve("failure-" + HexFormat.of().formatHex(d, 0, 8) + ".model");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached model, when there is one of this code that reads back. */
    public static Optional<Trained> load(Path dir) {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(f); ObjectInputStream o = new ObjectInputStream(in)) {
            o.setObjectInputFilter(CLASSES);
            return o.readObject() instanceof Trained t ? Optional.of(t) : Optional.empty();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Trains the model on the traces of {@link #SEEDS} and calibrates its alarm on them: about 40 s of CPU. */
    public static Trained train() {
        List<Trace> traces = Experiment.traces(SEEDS);
        FailureModel model = FailureModel.train(traces);
        Alarm alarm = Calibration.choose(model, traces);
        return new Trained(model, alarm.threshold(), alarm.ticks());
    }

    /** Writes the model to its file under {@code dir} (whole or not at all). */
    public static Path save(Trained t, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = file(dir);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(t);
        }
        return Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Trains and caches the model in the directory named, unless one is cached there: the Engine's trainer process. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: FailureModelCache <models directory>");
            System.exit(2);
        }
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        System.out.println(loadOrTrain(Path.of(args[0])) == null ? "" : "cached in " + file(Path.of(args[0])));
    }

    /** The cached model, or one trained and cached now. */
    public static Trained loadOrTrain(Path dir) throws IOException {
        Optional<Trained> cached = load(dir);
        if (cached.isPresent()) {
            return cached.get();
        }
        Trained t = train();
        save(t, dir);
        return t;
    }
}
