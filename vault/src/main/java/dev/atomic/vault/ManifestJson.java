package dev.atomic.vault;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest's one byte form. Written by hand so the bytes never depend on a library's formatting; read with a
 * streaming parser so 10^5 entries cost little more than the entries themselves.
 */
final class ManifestJson {

    static final int FORMAT = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ManifestJson() {
    }

    static byte[] write(ReleaseManifest m) {
        StringBuilder out = new StringBuilder(128 + m.entries().size() * 200);
        out.append("{\n  \"channels\": {");
        String sep = "";
        for (Layer l : sortedLayers()) {
            out.append(sep).append('"').append(l.label()).append("\": \"").append(m.channels().get(l)).append('"');
            sep = ", ";
        }
        out.append("},\n  \"created\": \"").append(m.created()).append("\",\n  \"entries\": [\n");
        sep = "";
        for (ReleaseManifest.Entry e : m.entries()) {
            out.append(sep)
                    .append("    {\"component\": \"").append(e.component())
                    .append("\", \"layer\": \"").append(e.layer().label())
                    .append("\", \"mode\": \"").append(Modes.octal(e.mode()))
                    .append("\", \"path\": \"").append(e.path().replace("\"", "\\\""))
                    .append("\", \"sha256\": \"").append(e.sha256())
                    .append("\", \"size\": ").append(e.size()).append('}');
            sep = ",\n";
        }
        out.append(m.entries().isEmpty() ? "" : "\n").append("  ],\n  \"format\": ").append(FORMAT)
                .append(",\n  \"release\": \"").append(m.release()).append("\"\n}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ReleaseManifest parse(byte[] json, String label) {
        String what = "manifest '" + label + "'";
        if (json.length > ReleaseManifest.MAX_BYTES) {
            throw new VaultException(what + " is larger than " + SafeFiles.describe(ReleaseManifest.MAX_BYTES)
                    + ": refused");
        }
        ReleaseManifest m;
        try (JsonParser p = FACTORY.createParser(json)) {
            m = new Reader(p, what).manifest();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new VaultException(what + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new VaultException(what + " cannot be read: " + e.getMessage(), e);
        } catch (VaultException e) {
            throw e.getMessage().startsWith("manifest '") ? e : new VaultException(what + ": " + e.getMessage(), e);
        }
        // One manifest, one byte form: anything else (spacing, order, escapes) was not written by the Vault.
        if (!Arrays.equals(json, write(m))) {
            throw new VaultException(what + " is not in canonical form (keys and entries sorted, one entry per line, "
                    + "as atomic vault sign writes it)");
        }
        return m;
    }

    private static List<Layer> sortedLayers() {
        List<Layer> ls = new ArrayList<>(List.of(Layer.values()));
        ls.sort((a, b) -> a.label().compareTo(b.label()));
        return ls;
    }

    /** Reads one manifest object, refusing unknown, missing and mistyped fields with the place they were found. */
    private record Reader(JsonParser p, String what) {

        ReleaseManifest manifest() throws IOException {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the manifest");
            Integer format = null;
            String release = null;
            Instant created = null;
            Map<Layer, String> channels = null;
            List<ReleaseManifest.Entry> entries = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "format" -> {
                        expect(t, JsonToken.VALUE_NUMBER_INT, "'format'");
                        format = p.getIntValue();
                    }
                    case "release" -> release = text(t, "'release'");
                    case "created" -> created = instant(text(t, "'created'"));
                    case "channels" -> channels = channels(t);
                    case "entries" -> entries = entries(t);
                    default -> throw error("unknown field '" + field + "'");
                }
            }
            if (p.nextToken() != null) {
                throw error("content after the manifest object");
            }
            if (format == null || format != FORMAT) {
                throw error("'format' must be " + FORMAT + " (this Atomic reads format " + FORMAT + " only), not "
                        + format);
            }
            if (release == null || created == null || channels == null || entries == null) {
                throw error("'release', 'created', 'channels' and 'entries' are all required");
            }
            return new ReleaseManifest(release, created, channels, entries);
        }

        private Map<Layer, String> channels(JsonToken t) throws IOException {
            expect(t, JsonToken.START_OBJECT, "'channels'");
            Map<Layer, String> m = new EnumMap<>(Layer.class);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Layer layer = Layer.fromLabel(p.currentName());
                m.put(layer, text(p.nextToken(), "channel of " + layer.label()));
            }
            return m;
        }

        private List<ReleaseManifest.Entry> entries(JsonToken t) throws IOException {
            expect(t, JsonToken.START_ARRAY, "'entries'");
            List<ReleaseManifest.Entry> list = new ArrayList<>();
            for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
                expect(e, JsonToken.START_OBJECT, "entry " + (list.size() + 1));
                list.add(entry(list.size() + 1));
            }
            return list;
        }

        private ReleaseManifest.Entry entry(int n) throws IOException {
            String path = null;
            String sha256 = null;
            String component = null;
            Long size = null;
            Layer layer = null;
            Integer mode = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                String name = "entry " + n + " '" + field + "'";
                switch (field) {
                    case "path" -> path = text(t, name);
                    case "sha256" -> sha256 = text(t, name);
                    case "component" -> component = text(t, name);
                    case "layer" -> layer = Layer.fromLabel(text(t, name));
                    case "mode" -> mode = mode(text(t, name), n);
                    case "size" -> {
                        expect(t, JsonToken.VALUE_NUMBER_INT, name);
                        size = p.getLongValue();
                    }
                    default -> throw error("entry " + n + " has an unknown field '" + field + "'");
                }
            }
            if (path == null || sha256 == null || component == null || size == null || layer == null || mode == null) {
                throw error("entry " + n + " must have all of path, sha256, size, mode, layer and component");
            }
            return new ReleaseManifest.Entry(path, sha256, size, layer, component, mode);
        }

        private int mode(String octal, int n) {
            if (!octal.matches("0[0-7]{3}")) {
                throw error("entry " + n + " 'mode' must be four octal digits such as \"0644\", not \"" + octal + "\"");
            }
            return Integer.parseInt(octal, 8);
        }

        private Instant instant(String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw error("'created' must be a UTC time such as 2025-06-01T12:00:00Z, not '" + s + "'");
            }
        }

        private String text(JsonToken t, String name) throws IOException {
            expect(t, JsonToken.VALUE_STRING, name);
            return p.getText();
        }

        private void expect(JsonToken actual, JsonToken expected, String name) {
            if (actual != expected) {
                throw error(name + " must be " + describe(expected) + ", found " + describe(actual));
            }
        }

        private VaultException error(String problem) {
            JsonLocation at = p.currentTokenLocation();
            return new VaultException(what + ": " + problem + " (line " + at.getLineNr() + ")");
        }

        private static String describe(JsonToken t) {
            if (t == null) {
                return "the end of the file";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "a whole number";
                case VALUE_NUMBER_FLOAT -> "a fractional number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
            };
        }
    }
}
