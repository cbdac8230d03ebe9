package org.meshemu.scenario;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a scenario: YAML laid over the defaults every module ships ({@value #MODULE_DEFAULTS}),
 * then {@code --set path=value} overrides, then strict binding into validated records: the kernel's
 * own fields here, each hardware section by the {@link Section} its module registered. Every
 * failure is an {@link InputException} naming the file, the path, the value and what was expected.
 */
public final class ScenarioLoader {
    /**
     * Limits of a scenario document, so that no input can make parsing slow or large: a scenario is
     * a few kB, a preset's hardware section a few levels deep.
     */
    static final int MAX_CODE_POINTS = 1 << 22, MAX_NESTING = 64, MAX_NUMBER_LENGTH = 100, MAX_STRING_LENGTH = 1 << 20;

    private static final ObjectMapper YAML = new ObjectMapper(yamlFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    /**
     * The commented defaults of one module's scenario fields, at the root of its jar, as Pekko's
     * reference.conf: every module's file is laid together, each owning its own keys.
     */
    public static final String MODULE_DEFAULTS = "meshemu-defaults.yaml";
    /** The top-level section of the defaults that holds per-workload-kind defaults (not a scenario field). */
    private static final String WORKLOAD_DEFAULTS = "workloads";
    /** The optional top-level model section (see the workloads module's defaults). */
    private static final String MODEL = "model";

    private ScenarioLoader() {}

    private static YAMLFactory yamlFactory() {
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(MAX_CODE_POINTS);
        limits.setNestingDepthLimit(MAX_NESTING);
        limits.setMaxAliasesForCollections(0); // aliases are refused by readTree; this says so to SnakeYAML too
        limits.setAllowDuplicateKeys(false);
        return YAMLFactory.builder()
                .loaderOptions(limits)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                        .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** Loads a scenario file. */
    public static LoadedScenario load(Path file, List<String> overrides) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(source, "scenario file not found");
        } catch (IOException e) {
            throw new InputException(source, "cannot read the scenario file: " + e.getMessage());
        }
        return parse(source, text, overrides);
    }

    /** Parses scenario text; {@code source} names it in messages (a file name). */
    public static LoadedScenario parse(String source, String yaml, List<String> overrides) {
        if (yaml.length() > MAX_CODE_POINTS) {
            throw new InputException(source, yaml.length() + " characters", "at most " + MAX_CODE_POINTS + " characters (a scenario is a few kB)");
        }
        ObjectNode tree = Defaults.TREE.deepCopy();
        ObjectNode workloadDefaults = (ObjectNode) tree.remove(WORKLOAD_DEFAULTS);
        JsonNode user = readTree(source, yaml);
        if (!(user instanceof ObjectNode userObject)) {
            throw new InputException(source, "a scenario must be a YAML mapping (name: ..., hardware: ..., workload: ...)");
        }
        // Layers, lowest first: defaults, the hardware preset the scenario names, the file with its overrides.
        ObjectNode given = userObject.deepCopy();
        for (String o : overrides) applyOverride(source, given, o);
        String preset = given.path("hardware").path("preset").asText("");
        if (!preset.isEmpty()) merge(tree, preset(source, preset));
        merge(tree, given);
        if (tree.get("workload") instanceof ObjectNode workload && workload.get("kind") != null && workloadDefaults != null
                && workloadDefaults.get(workload.get("kind").asText()) instanceof ObjectNode kindDefaults) {
            ObjectNode merged = kindDefaults.deepCopy();
            merge(merged, workload);
            tree.set("workload", merged);
        }
        // a scenario without a model binds an empty section; the hash stays that of the document as written
        ObjectNode bound = tree;
        if (!tree.has(MODEL)) {
            bound = tree.deepCopy();
            bound.putObject(MODEL);
        } else if (!(tree.get(MODEL) instanceof ObjectNode)) {
            throw new InputException(source + ": " + MODEL, "must be a mapping {family: ..., checkpoint: DIR} or {family: ..., config: {...}, seed: S}, got " + tree.get(MODEL));
        }
        return new LoadedScenario(source, bindScenario(source, bound), sha256(tree), tree);
    }

    /** The scenario's own fields as written; {@code hardware} is bound section by section. */
    record Document(String name, long seed, JsonNode hardware, ObjectNode model, ObjectNode workload, Scenario.RunSpec run) {}

    private static Scenario bindScenario(String source, ObjectNode tree) {
        Document d = bind(source, tree, Document.class, "");
        Scenario.Hardware hardware = bindHardware(source, d.hardware());
        try {
            return new Scenario(d.name(), d.seed(), hardware, d.model(), d.workload(), d.run());
        } catch (FieldException f) {
            throw new InputException(source + ": " + f.field(), f.detail());
        }
    }

    /** Binds every registered hardware section to its record, then lets each check itself against the others. */
    private static Scenario.Hardware bindHardware(String source, JsonNode node) {
        String where = source + ": hardware";
        if (!(node instanceof ObjectNode hw)) throw new InputException(where, "must be a mapping (Hardware), got " + node);
        List<String> known = new ArrayList<>(List.of(PRESET));
        for (Section<?> s : Section.REGISTRY.all()) known.add(s.key());
        known.sort(null);
        for (Iterator<String> keys = hw.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) throw new InputException(where + "." + key, "unknown key; expected one of [" + String.join(", ", known) + "]");
        }
        JsonNode preset = hw.get(PRESET);
        if (preset == null || !preset.isTextual()) throw new InputException(where + "." + PRESET, "must be a string, got " + (preset == null ? "nothing" : preset));
        Map<Class<?>, Record> sections = new java.util.HashMap<>();
        for (Section<?> s : Section.REGISTRY.all()) {
            JsonNode n = hw.get(s.key());
            if (n == null || n.isNull()) throw new InputException(source + ": " + s.name(), "nothing", "given");
            sections.put(s.type(), bind(source, n, s.type(), s.name()));
        }
        Scenario.Hardware hardware = new Scenario.Hardware(preset.textValue(), sections);
        for (Section<?> s : Section.REGISTRY.all()) check(source, s, hardware);
        return hardware;
    }

    private static <T extends Record> void check(String source, Section<T> s, Scenario.Hardware hardware) {
        try {
            s.check(hardware.get(s.type()), hardware);
        } catch (FieldException f) {
            throw new InputException(source + ": " + s.name() + (f.field().isEmpty() ? "" : "." + f.field()), f.detail());
        }
    }

    private static final String PRESET = "preset";

    /**
     * Binds a tree to a record strictly (unknown keys, missing keys and wrong types are errors). Used
     * for the scenario and by extensions for their own sections ({@code pathPrefix} such as "workload").
     */
    public static <T> T bind(String source, JsonNode node, Class<T> type, String pathPrefix) {
        try {
            return YAML.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw translate(source, pathPrefix, node, e);
        } catch (IllegalArgumentException e) {
            throw new InputException(source + ": " + (pathPrefix.isEmpty() ? "(top level)" : pathPrefix), e.getMessage());
        }
    }

    private static InputException translate(String source, String prefix, JsonNode root, JsonProcessingException e) {
        String path = join(prefix, pathOf(e));
        String where = source + ": " + (path.isEmpty() ? "(top level)" : path);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new InputException(where, "unknown key; expected one of [" + known + "]");
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause();
            while (cause != null && !(cause instanceof FieldException) && cause.getCause() != null && cause != cause.getCause()) {
                cause = cause.getCause();
            }
            if (cause instanceof FieldException f) return new InputException(join(where, f.field()), f.detail());
            return new InputException(where, cause == null ? v.getOriginalMessage() : cause.getMessage());
        }
        if (e instanceof InvalidFormatException f) {
            return new InputException(where, "must be " + describe(f.getTargetType()) + ", got '" + f.getValue() + "'");
        }
        if (e instanceof MismatchedInputException m) {
            if (m.getOriginalMessage().startsWith("Missing required creator property")) {
                return new InputException(where + "." + m.getOriginalMessage().replaceAll(".*'(.*)'.*", "$1"), "missing; this key is required");
            }
            JsonNode value = at(root, pathOf(e));
            return new InputException(where, "must be " + describe(m.getTargetType()) + ", got " + (value == null ? "nothing" : value));
        }
        return new InputException(where, e.getOriginalMessage());
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        if (path.isEmpty()) return n;
        for (String part : path.split("\\.")) {
            if (n == null) return null;
            n = part.matches("\\d+") && n.isArray() ? n.get(Integer.parseInt(part)) : n.get(part);
        }
        return n;
    }

    private static String describe(Class<?> type) {
        if (type == null) return "a value of another type";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "an integer";
        if (type == double.class || type == Double.class || type == float.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (type.isArray() || List.class.isAssignableFrom(type)) return "a list";
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String pathOf(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) return "";
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }

    private static String join(String a, String b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return a + (a.endsWith(": ") ? "" : ".") + b;
    }

    /** Every module's defaults, read once per class loader (parsing a scenario copies them). */
    private static final class Defaults {
        static final ObjectNode TREE = defaults();
    }

    /** Every module's defaults laid together; two modules giving the same field is a build error. */
    private static ObjectNode defaults() {
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        List<java.net.URL> files = new ArrayList<>();
        try {
            ScenarioLoader.class.getClassLoader().getResources(MODULE_DEFAULTS).asIterator().forEachRemaining(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the modules' " + MODULE_DEFAULTS, e);
        }
        files.sort(java.util.Comparator.comparing(java.net.URL::toString)); // class-path order must not matter
        for (java.net.URL file : files) {
            try (InputStream in = file.openStream()) {
                mergeDisjoint(file.toString(), "", all, (ObjectNode) YAML.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded " + file + " is unreadable", e);
            }
        }
        return all;
    }

    private static void mergeDisjoint(String file, String path, ObjectNode base, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode b = base.get(e.getKey());
            if (b == null) base.set(e.getKey(), e.getValue());
            else if (b instanceof ObjectNode bo && e.getValue() instanceof ObjectNode oo) mergeDisjoint(file, at, bo, oo);
            else throw new IllegalStateException(file + " gives " + at + ", which another module's " + MODULE_DEFAULTS + " gives too");
        }
    }

    /** Where hardware presets live on the class path (the repository's scenarios/presets/). */
    static final String PRESETS = "scenarios/presets/";

    /** The document of a hardware preset: a mapping with a single {@code hardware} section. */
    private static ObjectNode preset(String source, String name) {
        ObjectNode index;
        try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(PRESETS + "index.yaml")) {
            index = (ObjectNode) YAML.readTree(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the embedded " + PRESETS + "index.yaml is missing or unreadable", e);
        }
        if (!index.has(name)) {
            List<String> names = new ArrayList<>();
            index.fieldNames().forEachRemaining(names::add);
            throw new InputException(source + ": hardware.preset", "'" + name + "'", "one of " + names);
        }
        String file = PRESETS + name + ".yaml";
        try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException(file + " is listed in index.yaml but missing");
            JsonNode doc = readTree(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!(doc instanceof ObjectNode o) || o.size() != 1 || !(o.get("hardware") instanceof ObjectNode)) {
                throw new IllegalStateException(file + " must hold one mapping, hardware: {...}");
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses YAML text into a tree, refusing aliases: the YAML parser gives an alias as the anchor's
     * name (so {@code *a} would silently read as "a"), and expanding them would let a few lines
     * stand for billions of nodes.
     */
    private static JsonNode readTree(String source, String yaml) {
        try (JsonParser parser = new JsonParserDelegate(YAML.getFactory().createParser(yaml)) {
            @Override
            public JsonToken nextToken() throws IOException {
                JsonToken t = super.nextToken();
                if (delegate instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw new JsonParseException(this, "aliases (*" + y.getText() + ") are not supported; write the value out");
                }
                return t;
            }
        }) {
            JsonNode n = YAML.readTree(parser);
            return n == null ? JsonNodeFactory.instance.objectNode() : n;
        } catch (IOException e) {
            if (!(e instanceof JsonProcessingException)) throw new UncheckedIOException(e); // reading a String
            var loc = ((JsonProcessingException) e).getLocation();
            String at = loc == null ? "" : " line " + loc.getLineNr() + " column " + loc.getColumnNr();
            // the parser's message spans several lines with a source excerpt; its problem statement suffices
            String problem = ((JsonProcessingException) e).getOriginalMessage().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("^") && !l.startsWith("in 'reader'"))
                    .collect(Collectors.joining("; "));
            throw new InputException(source + at, "YAML syntax error: " + problem);
        }
    }

    /** Lays {@code over} onto {@code base}: mappings merge key by key, anything else replaces. */
    static void merge(ObjectNode base, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (base.get(e.getKey()) instanceof ObjectNode b && e.getValue() instanceof ObjectNode o) merge(b, o);
            else base.set(e.getKey(), e.getValue().deepCopy());
        }
    }

    /** Applies {@code a.b.c=value}; the value is read as YAML, so numbers, booleans and lists keep their type. */
    static void applyOverride(String source, ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new InputException("--set " + override, "expected path=value, such as hardware.noc.width=4");
        String path = override.substring(0, eq).trim();
        JsonNode value = readTree("--set " + path, override.substring(eq + 1));
        String[] parts = path.split("\\.");
        ObjectNode n = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = n.get(parts[i]);
            if (child == null) child = n.putObject(parts[i]);
            if (!(child instanceof ObjectNode o)) {
                throw new InputException("--set " + path, "'" + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is not a mapping");
            }
            n = o;
        }
        n.set(parts[parts.length - 1], value);
    }

    /** SHA-256 of the effective scenario as canonical JSON (keys sorted), so equal scenarios hash equal. */
    static String sha256(JsonNode tree) {
        try {
            byte[] canonical = new ObjectMapper().writeValueAsBytes(canonical(tree));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the scenario", e);
        }
    }

    private static Object canonical(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), canonical(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(canonical(x)));
            return l;
        }
        return n;
    }
}
