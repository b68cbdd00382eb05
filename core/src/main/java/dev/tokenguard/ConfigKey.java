package dev.tokenguard;

/**
 * One configuration key of TokenGuard, the same in every adapter: an init-param in web.xml,
 * {@code tokenguard.<key>} in Spring, {@code quarkus.tokenguard.<key>} in Quarkus, {@code --set <key>=...}
 * for the CLI.
 *
 * @param name the key as spelled in a properties file ({@code jwks.cache-ttl})
 * @param defaultValue the default as it would be written in a properties file, or {@code null} when none
 * @param secret whether the value is masked wherever configuration is printed
 * @param description one sentence for documentation and IDE completion
 */
public record ConfigKey(String name, String defaultValue, boolean secret, String description) {}
