package dev.atomic.policy.live;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.Alarm;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.Calibration;
import dev.atomic.policy.learned.Features;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.learned.Scorer;
import dev.atomic.policy.sizing.Measure;
import dev.atomic.policy.sizing.SizingModel;
import dev.atomic.policy.traces.Trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * The learned policies' models for the running Engine: trained offline, on the trace generator's traces of fixed
 * seeds (so the same models every time, and nothing downloaded), each alarm calibrated on them, and cached in a
 * directory under Atomic's home, one file per model ({@link #FAILURE}, {@link #ANOMALY}, {@link #SIZING}). A file's
 * name carries a digest of what the model depends on (the features, the seeds, the model's class), so a model trained
 * by other code is never loaded; a file that does not read back is ignored. Read through a filter that admits only
 * the models' own classes, Tribuo's and the JDK's.
 *
 * @param <T> what is cached
 */
public final class ModelCache<T extends Serializable> {
    /** The seeds trained on: held apart from the benchmark's held-out ones (from 20001). */
    public static final List<Long> SEEDS = LongStream.rangeClosed(1, 10).boxed().toList();
    private static final ObjectInputFilter CLASSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=200;dev.atomic.policy.**;org.tribuo.**;com.oracle.labs.mlrg.olcut.**;libsvm.*;java.**;!*");

    /** A scoring model and the alarm chosen for it on its training traces. */
    public record Trained<S extends Scorer & Serializable>(S model, double threshold, int ticks)
            implements Serializable {
        public Alarm alarm() {
            return new Alarm(threshold, ticks);
        }
    }

    /** Policy 3's models, one per measure. */
    public record Sizes(List<SizingModel> models) implements Serializable {
        public Sizes {
            models = new ArrayList<>(models); // a list of the JDK's that serializes as itself
        }
    }

    /** Policy 2: failure within {@link FailureModel#HORIZON_SECONDS}, its alarm the best F1 on the training traces. */
    @SuppressWarnings("unchecked")
    public static final ModelCache<Trained<FailureModel>> FAILURE = new ModelCache<>("failure",
            (Class<Trained<FailureModel>>) (Class<?>) Trained.class, FailureModel.class,
            FailureModel.HORIZON_SECONDS + "", traces -> {
                FailureModel model = FailureModel.train(traces);
                Alarm alarm = Calibration.choose(model, traces);
                return new Trained<>(model, alarm.threshold(), alarm.ticks());
            });
    /** Policy 1 (and 5, which it scores): anomaly against its own baseline, its alarm an early warning. */
    @SuppressWarnings("unchecked")
    public static final ModelCache<Trained<AnomalyModel>> ANOMALY = new ModelCache<>("anomaly",
            (Class<Trained<AnomalyModel>>) (Class<?>) Trained.class, AnomalyModel.class, "early", traces -> {
                AnomalyModel model = AnomalyModel.train(traces);
                Alarm alarm = Calibration.early(model, traces);
                return new Trained<>(model, alarm.threshold(), alarm.ticks());
            });
    /** Policy 3: memory and CPU sizes. */
    public static final ModelCache<Sizes> SIZING = new ModelCache<>("sizing", Sizes.class, SizingModel.class,
            List.of(Measure.values()).toString(), traces -> new Sizes(List.of(SizingModel.train(Measure.MEMORY,
                    traces), SizingModel.train(Measure.CPU, traces))));
    public static final List<ModelCache<?>> ALL = List.of(FAILURE, ANOMALY, SIZING);

    private final String name;
    private final Class<T> type;
    private final Class<?> model;
    private final String settings;
    private final Function<List<Trace>, T> trainer;

    private ModelCache(String name, Class<T> type, Class<?> model, String settings, Function<List<Trace>, T> trainer) {
        this.name = name;
        this.type = type;
        this.model = model;
        this.settings = settings;
        this.trainer = trainer;
    }

    public String name() {
        return name;
    }

    /** The file a model of this code is cached in, under {@code dir}. */
    public Path file(Path dir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String of = String.join(",", Features.NAMES) + "|" + SEEDS + "|" + settings + "|"
                    + ObjectStreamClass.lookup(model).getSerialVersionUID();
            byte[] d = sha.digest(of.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(name + "-" + HexFormat.of().formatHex(d, 0, 8) + ".model");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached model, when there is one of this code that reads back. */
    public Optional<T> load(Path dir) {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(f); ObjectInputStream o = new ObjectInputStream(in)) {
            o.setObjectInputFilter(CLASSES);
            Object read = o.readObject();
            return type.isInstance(read) && fits(read) ? Optional.of(type.cast(read)) : Optional.empty();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A {@link Trained} of another model's class (a file renamed) is not this cache's. */
    private boolean fits(Object read) {
        return !(read instanceof Trained<?> t) || model.isInstance(t.model());
    }

    /** Trains the model on the traces of {@link #SEEDS} (and calibrates its alarm on them). */
    public T train() {
        return trainer.apply(Experiment.traces(SEEDS));
    }

    /** Writes the model to its file under {@code dir} (whole or not at all). */
    public Path save(T t, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = file(dir);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(t);
        }
        return Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The cached model, or one trained and cached now. */
    public T loadOrTrain(Path dir) throws IOException {
        Optional<T> cached = load(dir);
        if (cached.isPresent()) {
            return cached.get();
        }
        T t = train();
        save(t, dir);
        return t;
    }

    /** Trains and caches every model not cached in the directory named yet: the Engine's trainer process. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ModelCache <models directory>");
            System.exit(2);
        }
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        Path dir = Path.of(args[0]);
        for (ModelCache<?> cache : ALL) {
            cache.loadOrTrain(dir);
            System.out.println(cache.name + ": cached in " + cache.file(dir));
        }
    }
}
