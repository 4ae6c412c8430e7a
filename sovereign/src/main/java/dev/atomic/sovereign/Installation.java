package dev.atomic.sovereign;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The installation the Sovereign runs from, cut into images: which of its class-path entries each process needs.
 * <p>
 * An image is the entry that holds a class and every entry that one depends on, read from the Maven metadata each
 * entry carries — a jar's {@code META-INF/maven/…/pom.xml}, a build directory's {@code <module>/pom.xml}. So the
 * Engine's image is the engine module and its dependencies, a component's image is the jar of its main class and
 * that jar's dependencies, and nothing else. An entry without metadata (a plain jar) depends on nothing.
 */
final class Installation {
    private final List<Path> classPath;
    private final Map<String, Path> byArtifact = new HashMap<>();
    private final Map<Path, Artifact> artifacts = new HashMap<>();

    /** What a class-path entry says of itself: its artifact id and the artifact ids it needs at run time. */
    private record Artifact(String id, List<String> dependencies) {
    }

    private Installation(List<Path> classPath) throws IOException {
        this.classPath = classPath;
        for (Path entry : classPath) {
            Artifact a = describe(entry);
            artifacts.put(entry, a);
            byArtifact.putIfAbsent(a.id(), entry);
        }
    }

    /** The Sovereign's own class path. */
    static Installation current() throws IOException {
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().normalize());
            }
        }
        return new Installation(entries);
    }

    /** Every entry: the Sovereign's image. */
    List<Path> classPath() {
        return classPath;
    }

    /** The entries holding these classes and everything they depend on, in class-path order. */
    List<Path> imageOf(Class<?>... classes) throws IOException {
        Set<Path> needed = new LinkedHashSet<>();
        Deque<Path> todo = new ArrayDeque<>();
        for (Class<?> c : classes) {
            todo.add(entryOf(c));
        }
        while (!todo.isEmpty()) {
            Path entry = todo.poll();
            if (needed.add(entry)) {
                for (String dep : artifacts.get(entry).dependencies()) {
                    Optional.ofNullable(byArtifact.get(dep)).ifPresent(todo::add);
                }
            }
        }
        return classPath.stream().filter(needed::contains).toList();
    }

    private Path entryOf(Class<?> c) throws IOException {
        try {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
            if (!artifacts.containsKey(p)) {
                throw new IOException(c.getName() + " comes from " + p + ", which is not on the Sovereign's class path");
            }
            return p;
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot tell where " + c.getName() + " comes from: " + e);
        }
    }

    private static Artifact describe(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            // <module>/target/classes or <module>/target/test-classes: the module's pom is two levels up.
            Path pom = entry.getParent() == null || entry.getParent().getParent() == null ? null
                    : entry.getParent().getParent().resolve("pom.xml");
            boolean tests = entry.getFileName().toString().equals("test-classes");
            if (pom != null && Files.isRegularFile(pom)) {
                try (InputStream in = Files.newInputStream(pom)) {
                    return parse(in, tests, entry);
                }
            }
            return new Artifact(entry.toString(), List.of());
        }
        if (Files.isRegularFile(entry)) {
            try (ZipFile jar = new ZipFile(entry.toFile())) {
                String stem = entry.getFileName().toString().replaceFirst("\\.jar$", "");
                ZipEntry pom = jar.stream()
                        .filter(z -> z.getName().startsWith("META-INF/maven/") && z.getName().endsWith("/pom.xml"))
                        .filter(z -> stem.startsWith(z.getName().split("/")[3]))
                        .findFirst().orElse(null);
                if (pom != null) {
                    try (InputStream in = jar.getInputStream(pom)) {
                        return parse(in, false, entry);
                    }
                }
                return new Artifact(stem.replaceFirst("-\\d.*$", ""), List.of());
            }
        }
        return new Artifact(entry.toString(), List.of());
    }

    /**
     * A pom's artifact id and its run-time dependencies (compile and runtime scope, not optional); a test-classes
     * entry is its module's tests, which need the module itself and its test dependencies too.
     */
    private static Artifact parse(InputStream pom, boolean tests, Path entry) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(pom);
            Element project = doc.getDocumentElement();
            String id = text(project, "artifactId");
            List<String> deps = new ArrayList<>();
            if (tests) {
                deps.add(id);
            }
            Element dependencies = child(project, "dependencies");
            if (dependencies != null) {
                for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element d && d.getTagName().equals("dependency")) {
                        String scope = Optional.ofNullable(text(d, "scope")).orElse("compile");
                        boolean runtime = scope.equals("compile") || scope.equals("runtime") || tests && scope.equals("test");
                        if (runtime && !"true".equals(text(d, "optional"))) {
                            deps.add(text(d, "artifactId"));
                        }
                    }
                }
            }
            return new Artifact(tests ? id + ":tests" : id, deps);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("cannot read the Maven metadata of " + entry + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent().trim();
    }
}
