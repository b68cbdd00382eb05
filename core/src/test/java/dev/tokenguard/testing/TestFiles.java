package dev.tokenguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files the tests read: vendored test data on the test class path ({@code wycheproof/}, {@code contracts/}, each
 * with its licence and a README saying where it came from) and the repository's README and architecture.md.
 */
public final class TestFiles {
  private TestFiles() {}

  /** A test resource as text, such as {@code wycheproof/ed25519_test.json}. */
  public static String resource(String name) {
    try (InputStream in = TestFiles.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Wycheproof vector file, as text. */
  public static String wycheproof(String file) {
    return resource("wycheproof/" + file);
  }

  /** The test groups of a Wycheproof vector file. */
  public static java.util.List<java.util.Map<String, Object>> wycheproofGroups(String file) {
    try {
      return members(dev.tokenguard.internal.JsonObjects.parse(wycheproof(file)).get("testGroups"));
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(file + " is not JSON", e);
    }
  }

  /** The tests of one Wycheproof test group. */
  public static java.util.List<java.util.Map<String, Object>> wycheproofTests(java.util.Map<String, Object> group) {
    return members(group.get("tests"));
  }

  @SuppressWarnings("unchecked")
  private static java.util.List<java.util.Map<String, Object>> members(Object array) {
    return ((java.util.List<?>) array).stream().map(m -> (java.util.Map<String, Object>) m).toList();
  }

  /** The repository's README.md (found walking up from where the tests run), for tests that keep it true. */
  public static String readme() throws IOException {
    return Files.readString(readmePath());
  }

  /** Where the repository's README.md is. */
  public static Path readmePath() {
    return repositoryFile("README.md");
  }

  /** A file at the repository's root ({@code README.md}, {@code architecture.md}), found walking up from here. */
  public static Path repositoryFile(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(name)) && Files.isDirectory(dir.resolve("core"))) {
        return dir.resolve(name);
      }
    }
    throw new IllegalStateException("cannot find " + name + " above " + Path.of("").toAbsolutePath());
  }
}
