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
 * of every adapter. The families too: {@code TOKENGUARD_RULE_<NAME>_PATHS|METHODS|PERMISSIONS|MATCH} is
 * {@code rule.<name>.paths|...} and {@code TOKENGUARD_USER_LOOKUP_FIELD_<NAME>} is {@code user-lookup.field.<name>},
 * the name in lower case with {@code _} read as {@code -} ({@code TOKENGUARD_RULE_ORDER_ADMIN_PATHS} is
 * {@code rule.order-admin.paths}, {@code TOKENGUARD_USER_LOOKUP_FIELD_EMAIL_VERIFIED} is
 * {@code user-lookup.field.email-verified}); {@code TOKENGUARD_ISSUERS_<NAME>_<KEY>} is {@code issuers.<name>.<key>}
 * ({@code TOKENGUARD_ISSUERS_STAFF_USER_LOOKUP_CLIENT_SECRET} is {@code issuers.staff.user-lookup.client-secret}).
 */
final class ConfigSources {
  static final String ENV_PREFIX = "TOKENGUARD_";
  private static final String RULE_PREFIX = ENV_PREFIX + "RULE_";
  private static final String FIELD_PREFIX = ENV_PREFIX + "USER_LOOKUP_FIELD_";
  private static final List<String> RULE_PARTS = List.of("PATHS", "METHODS", "PERMISSIONS", "MATCH");
  private static final String ISSUERS_PREFIX = ENV_PREFIX + "ISSUERS_";
  private static final String BLOCK_FIELD = "_USER_LOOKUP_FIELD_";

  private ConfigSources() {}

  static Map<String, String> load(Path file, List<String> sets, Map<String, String> environment) {
    Map<String, String> props = new LinkedHashMap<>();
    Map<String, String> envNames = new LinkedHashMap<>();
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      envNames.put(ENV_PREFIX + env(k.name()), k.name());
    }
    for (String k : GatewaySettings.KEYS) {
      envNames.put(ENV_PREFIX + env(k), k);
    }
    environment.forEach((name, value) -> {
      String key = envNames.containsKey(name) ? envNames.get(name) : familyKey(name);
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

  /**
   * The {@code rule.*}, {@code user-lookup.field.*} or {@code issuers.*} key an environment variable names, or
   * {@code null} for a variable of no family; a {@code TOKENGUARD_ISSUERS_} or {@code TOKENGUARD_RULE_} variable that
   * names no key fails (naming the variable), as {@code --set} fails on an unknown key.
   */
  static String familyKey(String env) {
    if (env.startsWith(RULE_PREFIX)) {
      for (String part : RULE_PARTS) {
        String suffix = "_" + part;
        if (env.endsWith(suffix) && env.length() > RULE_PREFIX.length() + suffix.length()) {
          return "rule." + name(env.substring(RULE_PREFIX.length(), env.length() - suffix.length())) + "." + part.toLowerCase(Locale.ROOT);
        }
      }
    }
    if (env.startsWith(FIELD_PREFIX) && env.length() > FIELD_PREFIX.length()) {
      return "user-lookup.field." + name(env.substring(FIELD_PREFIX.length()));
    }
    if (env.startsWith(ISSUERS_PREFIX)) {
      String key = blockKey(env.substring(ISSUERS_PREFIX.length()));
      if (key == null) { // a mistyped member would otherwise leave the block without it (an audience, say) unnoticed
        throw new TokenGuardConfigException(env, "names no key of an issuer block; expected " + ISSUERS_PREFIX
            + "<NAME>_<KEY> with KEY one of " + TokenGuardConfig.ISSUER_BLOCK_KEYS.stream()
            .map(k -> env(k.name().substring((TokenGuardConfig.ISSUER_BLOCKS + "<name>.").length())))
            .filter(k -> !k.contains("<")).toList() + " or USER_LOOKUP_FIELD_<FIELD>");
      }
      return key;
    }
    if (env.startsWith(RULE_PREFIX)) {
      throw new TokenGuardConfigException(env, "names no key of a rule; expected " + RULE_PREFIX + "<NAME>_" + String.join("|", RULE_PARTS));
    }
    return null;
  }

  /**
   * {@code <NAME>_<MEMBER>} of {@code TOKENGUARD_ISSUERS_<NAME>_<MEMBER>} as {@code issuers.<name>.<member>}: the
   * longest member that ends the text wins ({@code STAFF_USER_LOOKUP_AUDIENCE} is {@code issuers.staff.user-lookup.audience}).
   */
  private static String blockKey(String rest) {
    int field = rest.indexOf(BLOCK_FIELD);
    if (field > 0 && rest.length() > field + BLOCK_FIELD.length()) {
      return TokenGuardConfig.ISSUER_BLOCKS + name(rest.substring(0, field)) + ".user-lookup.field."
          + name(rest.substring(field + BLOCK_FIELD.length()));
    }
    String best = null;
    for (ConfigKey<?> k : TokenGuardConfig.ISSUER_BLOCK_KEYS) {
      String member = k.name().substring((TokenGuardConfig.ISSUER_BLOCKS + "<name>.").length());
      String suffix = "_" + env(member);
      if (!member.contains("<") && rest.endsWith(suffix) && rest.length() > suffix.length()
          && (best == null || member.length() > best.length())) {
        best = member;
      }
    }
    return best == null ? null : TokenGuardConfig.ISSUER_BLOCKS + name(rest.substring(0, rest.length() - env(best).length() - 1)) + "." + best;
  }

  private static String env(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String name(String env) {
    return env.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
