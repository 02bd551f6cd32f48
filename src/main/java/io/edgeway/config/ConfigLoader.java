package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads the gateway configuration: YAML (snakeyaml-engine, positions kept) → checked tree
 * ({@code ${ENV}} substituted, duplicate keys and alias bombs rejected) → {@link GatewayConfig}
 * records → cross-field checks. Either everything is valid or a {@link ConfigException} lists
 * every problem in file order; nothing is half-applied.
 *
 * <p>Blocking (reads a file): call it at start-up or from a worker thread, never on an event loop.
 */
public final class ConfigLoader {

  /** The largest document accepted. */
  public static final int MAX_DOCUMENT_CHARS = 10 * 1024 * 1024;

  /** Aliases allowed in one document; anchors are for reuse, not for billion-laughs. */
  public static final int MAX_ALIASES = 50;

  /** Deepest nesting of mappings and lists; the composer recurses, so this bounds its stack. */
  public static final int MAX_DEPTH = 64;

  private static final CoreSchema SCHEMA = new CoreSchema();

  private ConfigLoader() {}

  /**
   * Loads a file, substituting from the process environment, with the sections of the modules on
   * the class path.
   */
  public static LoadedConfig load(Path file) throws ConfigException {
    return load(file, System::getenv);
  }

  /**
   * Loads a file with the sections of the modules on the class path.
   *
   * @param environment looks up {@code ${NAME}}; returns null for an unset variable
   */
  public static LoadedConfig load(Path file, Function<String, String> environment) throws ConfigException {
    return load(file, environment, ConfigSchema.discover(ConfigLoader.class.getClassLoader()));
  }

  /**
   * Loads a file, binding the module sections and running the checks of {@code schema} in the same
   * pass, so their errors (e.g. unknown filter names) are reported together with all others.
   */
  public static LoadedConfig load(Path file, Function<String, String> environment, ConfigSchema schema)
      throws ConfigException {
    requireNonNull(file, "file");
    requireNonNull(environment, "environment");
    requireNonNull(schema, "schema");
    return load(file.toString(), readText(file), environment, schema);
  }

  /**
   * Reads a configuration file as strict UTF-8, refusing files over {@link #MAX_DOCUMENT_CHARS}
   * before reading them; the text {@link #load(String, String, Function, ConfigSchema)} takes.
   * Blocking: start-up, {@code --check}, or a reload's own thread.
   */
  public static String readText(Path file) throws ConfigException {
    requireNonNull(file, "file");
    String source = file.toString();
    byte[] bytes;
    try {
      // Checked before reading so a huge file is never pulled into memory.
      if (Files.size(file) > MAX_DOCUMENT_CHARS) {
        throw fileError(source, "file larger than " + MAX_DOCUMENT_CHARS + " bytes (expected: a smaller config file)");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw fileError(source, "cannot read the file: " + e + " (expected: a readable config file)");
    }
    if (bytes.length > MAX_DOCUMENT_CHARS) {
      throw fileError(source, "file larger than " + MAX_DOCUMENT_CHARS + " bytes (expected: a smaller config file)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw fileError(source, "invalid UTF-8 (expected: a UTF-8 text file)");
    }
    return text;
  }

  /** Loads YAML text, substituting from the process environment, with the modules on the class path. */
  public static LoadedConfig load(String sourceName, String yamlText) throws ConfigException {
    return load(sourceName, yamlText, System::getenv);
  }

  /**
   * Loads YAML text with the sections of the modules on the class path.
   *
   * @param sourceName the name errors are reported under, usually the file path
   * @param environment looks up {@code ${NAME}}; returns null for an unset variable
   */
  public static LoadedConfig load(String sourceName, String yamlText, Function<String, String> environment)
      throws ConfigException {
    return load(sourceName, yamlText, environment, ConfigSchema.discover(ConfigLoader.class.getClassLoader()));
  }

  /** Loads YAML text, binding the module sections and running the checks of {@code schema} in the same pass. */
  public static LoadedConfig load(
      String sourceName, String yamlText, Function<String, String> environment, ConfigSchema schema)
      throws ConfigException {
    requireNonNull(sourceName, "sourceName");
    requireNonNull(schema, "schema");
    requireNonNull(yamlText, "yamlText");
    requireNonNull(environment, "environment");
    if (yamlText.length() > MAX_DOCUMENT_CHARS) {
      throw fileError(sourceName, "document larger than " + MAX_DOCUMENT_CHARS + " characters (expected: a smaller config file)");
    }
    ConfigErrors treeErrors = new ConfigErrors(ConfigLocations.empty(sourceName));
    ConfigNode tree = new ConfigNode(sourceName, "", checkedTree(sourceName, yamlText, environment, treeErrors));
    ConfigErrors errors = treeErrors.withLocations(new ConfigLocations(tree));

    GatewayConfig config = tree.node() instanceof MappingNode root ? bindSections(sourceName, root, schema, errors) : null;
    checkDuplicateRouteIds(sourceName, tree.node(), errors);
    schema.check().check(tree, errors);
    if (config != null) {
      checkPorts(config, errors);
    }
    errors.throwIfAny();
    return new LoadedConfig(config, tree);
  }

  // YAML -> composed document -> checked copy. The copy shares nothing with the composed document
  // but strings, and ConfigTree empties the composed one as it goes: none of it outlives this call.
  private static Node checkedTree(String source, String text, Function<String, String> environment,
      ConfigErrors errors) throws ConfigException {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(source)
        .setSchema(SCHEMA)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit(MAX_DOCUMENT_CHARS)
        .setUseMarks(true)
        .build();
    Node composed = compose(source, text, settings);
    if (!(composed instanceof MappingNode)) {
      errors.add(source, composed, "", NodeText.describe(composed)
          + " (expected: a mapping of sections such as server, admin, routes)");
      errors.throwIfAny();
    }
    return ConfigTree.check(source, composed, new EnvSubstitution(environment), SCHEMA.getScalarResolver(), errors);
  }

  // Core sections bind as one record; each module section binds on its own. Unknown top-level keys
  // are reported here, against every key (core and modules), so the suggestion can name either.
  private static GatewayConfig bindSections(String source, MappingNode root, ConfigSchema schema, ConfigErrors errors) {
    List<NodeTuple> core = new ArrayList<>();
    Map<String, Object> sections = new LinkedHashMap<>();
    boolean failed = false;
    for (NodeTuple tuple : root.getValue()) {
      String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
      ConfigSection<?> section = key == null ? null : schema.find(key);
      if (key == null || CoreSections.KEYS.contains(key)) {
        core.add(tuple); // the binder reports a key that is not a plain string
      } else if (section == null) {
        errors.add(source, tuple.getKeyNode(), key, Binder.unknownKey(key, schema.keys()));
        failed = true;
      } else if (!ConfigNode.isNull(tuple.getValueNode()) || errors.isReported(tuple.getValueNode())) {
        Object bound = errors.isReported(tuple.getValueNode()) ? null
            : section.bind(new ConfigNode(source, key, tuple.getValueNode()), errors);
        if (bound == null) {
          failed = true;
        } else {
          sections.put(key, bound);
        }
      }
    }
    MappingNode coreNode = new MappingNode(root.getTag(), false, core, root.getFlowStyle(), root.getStartMark(), root.getEndMark());
    CoreSections bound = Binder.bind(new ConfigNode(source, "", coreNode), CoreSections.class, errors);
    if (bound == null || failed) {
      return null;
    }
    return new GatewayConfig(bound.server(), bound.admin(), bound.demoUpstream(), bound.accessLog(), bound.plugins(),
        bound.routes(), sections);
  }

  private static Node compose(String source, String text, LoadSettings settings) throws ConfigException {
    try {
      // A first pass over the event stream (iterative, not recursive) bounds nesting and aliases
      // before the recursive composer builds anything.
      int depth = 0;
      int aliases = 0;
      for (Event event : new Parse(settings).parseString(text)) {
        switch (event.getEventId()) {
          case MappingStart, SequenceStart -> {
            if (++depth > MAX_DEPTH) {
              throw new ConfigException(List.of(ConfigError.at(ConfigPosition.of(source, event.getStartMark()), "",
                  "nesting deeper than " + MAX_DEPTH + " levels (expected: a flatter document)")));
            }
          }
          case MappingEnd, SequenceEnd -> depth--;
          case Alias -> {
            if (++aliases > MAX_ALIASES) {
              throw new ConfigException(List.of(ConfigError.at(ConfigPosition.of(source, event.getStartMark()), "",
                  "more than " + MAX_ALIASES + " aliases (expected: at most " + MAX_ALIASES
                      + " aliases in a document; alias bombs are rejected)")));
            }
          }
          default -> { }
        }
      }
      Optional<Node> root = new Compose(settings).composeString(text);
      // An empty document (or a lone `~`) is a valid config: every default, no routes.
      return root.filter(node -> !ConfigNode.isNull(node))
          .orElseGet(() -> new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK));
    } catch (MarkedYamlEngineException e) {
      ConfigPosition at = e.getProblemMark().isPresent()
          ? ConfigPosition.of(source, e.getProblemMark())
          : ConfigPosition.of(source, e.getContextMark());
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " " + e.getContext();
      String expected = "valid YAML";
      if (context.contains("flow") && at.line() > 0 && lineOf(text, at.line()).contains("${")) {
        // `{ port: ${PORT} }`: braces end a plain value inside a flow mapping; quoting fixes it.
        expected += "; inside { } or [ ] quote values that contain braces, e.g. port: \"${PORT:-8080}\"";
      }
      throw new ConfigException(List.of(ConfigError.at(at, "", problem + context + " (expected: " + expected + ")")));
    } catch (YamlEngineException e) {
      throw new ConfigException(List.of(ConfigError.at(new ConfigPosition(source, 0, 0), "",
          e.getMessage() + " (expected: valid YAML)")));
    }
  }

  // Checked on the tree rather than the records so that duplicates are found even when some
  // route has other problems and could not be bound.
  private static void checkDuplicateRouteIds(String source, Node root, ConfigErrors errors) {
    Node routes = ConfigNode.child(root, "routes");
    if (!(routes instanceof SequenceNode sequence)) {
      return;
    }
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      Node id = ConfigNode.child(sequence.getValue().get(i), "id");
      if (id instanceof ScalarNode scalar && !ConfigNode.isNull(scalar) && !errors.isReported(scalar)) {
        Integer first = firstIndex.putIfAbsent(scalar.getValue(), i);
        if (first != null) {
          errors.add(source, scalar, KeyPath.key(KeyPath.index("routes", i), "id"), scalar.getValue()
              + " (expected: a unique route id; routes[" + first + "] has it already)");
        }
      }
    }
  }

  private static void checkPorts(GatewayConfig config, ConfigErrors errors) {
    int serverPort = config.server().port();
    if (serverPort == 0) {
      return;
    }
    if (config.admin().enabled() && config.admin().port() == serverPort) {
      reportPortClash("admin", serverPort, errors);
    }
    if (config.demoUpstream().enabled() && config.demoUpstream().port() == serverPort) {
      reportPortClash("demo-upstream", serverPort, errors);
    }
  }

  // Point at the port the operator wrote: the section's own when written, else server.port.
  private static void reportPortClash(String section, int port, ConfigErrors errors) {
    String sectionPort = KeyPath.key(section, "port");
    if (errors.locations().find(sectionPort).isPresent()) {
      errors.addAt(sectionPort, port + " (expected: a port other than server.port)");
    } else {
      errors.addAt("server.port", port + " (expected: a port other than " + sectionPort + ", which defaults to it)");
    }
  }

  private static String lineOf(String text, int line) {
    int start = 0;
    for (int i = 1; i < line && start >= 0; i++) {
      start = text.indexOf('\n', start);
      start = start < 0 ? -1 : start + 1;
    }
    if (start < 0) {
      return "";
    }
    int end = text.indexOf('\n', start);
    return end < 0 ? text.substring(start) : text.substring(start, end);
  }

  private static ConfigException fileError(String source, String message) {
    return new ConfigException(List.of(new ConfigError(source, 0, 0, "", message)));
  }
}
