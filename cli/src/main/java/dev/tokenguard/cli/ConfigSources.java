package dev.tokenguard.cli;

import dev.tokenguard.ConfigKey;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the CLI's configuration comes from, weakest first: {@code TOKENGUARD_<KEY>} environment variables
 * ({@code TOKENGUARD_USER_LOOKUP_CLIENT_SECRET} is {@code user-lookup.client-secret}), then the properties file of
 * {@code --config}, then each {@code --set key=value} in order (the later wins). The keys are exactly the ones
 * of every adapter.
 */
final class ConfigSources {
  static final String ENV_PREFIX = "TOKENGUARD_";

  private ConfigSources() {}

  static Map<String, String> load(Path file, List<String> sets, Map<String, String> environment) {
    Map<String, String> props = new LinkedHashMap<>();
    Map<String, String> envNames = new LinkedHashMap<>();
    for (ConfigKey k : TokenGuardConfig.KEYS) {
      envNames.put(ENV_PREFIX + k.name().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), k.name());
    }
    environment.forEach((name, value) -> {
      String key = envNames.get(name);
      if (key != null) {
        props.put(key, value);
      }
    });
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new TokenGuardConfigException("--config", "cannot read " + file + ": " + e.getMessage());
      }
      p.stringPropertyNames().stream().sorted().forEach(k -> props.put(k.trim(), p.getProperty(k)));
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new TokenGuardConfigException("--set", "expected key=value, but was '" + set + "'");
      }
      props.put(set.substring(0, eq).trim(), set.substring(eq + 1));
    }
    return props;
  }
}
