package dev.tokenguard.lookup;

import dev.tokenguard.UserProfile;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each {@link UserProfile} field is found in a provider's JSON, as {@link JsonPaths} expressions
 * ({@code email-verified} and {@code blocked} are conditions). Keys are the field names of
 * {@code user-lookup.field.<name>}.
 *
 * @param expressions field name to expression; absent fields stay empty
 * @param blockedStatuses values of the {@code status} field that also mean blocked
 * @param statuses the provider's status vocabulary, or {@code null} when statuses are taken as sent
 */
record FieldMapping(Map<String, String> expressions, Set<String> blockedStatuses, StatusVocabulary statuses) {

  FieldMapping {
    expressions = Map.copyOf(expressions);
    blockedStatuses = Set.copyOf(blockedStatuses);
  }

  FieldMapping(Map<String, String> expressions, Set<String> blockedStatuses) {
    this(expressions, blockedStatuses, null);
  }

  /** This mapping with {@code overrides} replacing single fields. */
  FieldMapping with(Map<String, String> overrides, Set<String> extraBlockedStatuses) {
    Map<String, String> merged = new LinkedHashMap<>(expressions);
    merged.putAll(overrides);
    Set<String> statuses = new HashSet<>(blockedStatuses);
    statuses.addAll(extraBlockedStatuses);
    return new FieldMapping(merged, statuses, this.statuses);
  }

  /**
   * Maps a user document and the roles and permissions found by extra calls.
   *
   * @param provider the preset name
   * @param json the user document
   * @param extraRoles roles from extra calls
   * @param extraPermissions permissions from extra calls
   */
  UserProfile map(String provider, Object json, Set<String> extraRoles, Set<String> extraPermissions) {
    return map(provider, json, extraRoles, extraPermissions, false);
  }

  /**
   * As above, with {@code blockedElsewhere}: an extra call said the user is blocked (Keycloak's brute-force
   * detection locked them out for now).
   */
  @SuppressWarnings("unchecked")
  UserProfile map(String provider, Object json, Set<String> extraRoles, Set<String> extraPermissions,
      boolean blockedElsewhere) {
    Set<String> roles = new java.util.LinkedHashSet<>(JsonPaths.strings(json, expressions.get("roles")));
    roles.addAll(extraRoles);
    Set<String> permissions = new java.util.LinkedHashSet<>(JsonPaths.strings(json, expressions.get("permissions")));
    permissions.addAll(extraPermissions);
    String sent = JsonPaths.string(json, expressions.get("status"));
    String status = sent == null || statuses == null ? sent : statuses.name(sent);
    Boolean blocked = JsonPaths.condition(json, expressions.get("blocked"));
    boolean isBlocked = blockedElsewhere || Boolean.TRUE.equals(blocked)
        || status != null && (blockedStatuses.contains(status.toLowerCase(java.util.Locale.ROOT))
            || statuses != null && statuses.blocks(status));
    Object metadata = JsonPaths.value(json, expressions.get("metadata"));
    Object userMetadata = JsonPaths.value(json, expressions.get("user-metadata"));
    return new UserProfile(
        provider,
        JsonPaths.string(json, expressions.get("id")),
        JsonPaths.string(json, expressions.get("email")),
        JsonPaths.condition(json, expressions.get("email-verified")),
        JsonPaths.string(json, expressions.get("name")),
        JsonPaths.string(json, expressions.get("given-name")),
        JsonPaths.string(json, expressions.get("family-name")),
        JsonPaths.string(json, expressions.get("picture")),
        roles,
        permissions,
        isBlocked,
        status,
        instant(JsonPaths.value(json, expressions.get("last-login"))),
        metadata instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
        userMetadata instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
        json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("items", json instanceof List<?> l ? l : List.of()));
  }

  /** An ISO-8601 string, or a number of epoch seconds (milliseconds when larger than 10^11). */
  static Instant instant(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d <= 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        return null;
      }
      return d > 1e11 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochSecond((long) d);
    }
    if (v instanceof String s && !s.isBlank()) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(s);
        } catch (DateTimeParseException e2) {
          return null;
        }
      }
    }
    return null;
  }
}
