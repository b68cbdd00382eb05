package dev.tokenguard.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the team's shared folder ({@code ../shared} beside the repository) from wherever the tests run. */
public final class SharedFiles {
  private SharedFiles() {}

  /** The shared folder: {@code -Dtokenguard.shared.dir}, else the first {@code shared/} found walking up. */
  public static Path shared() {
    String configured = System.getProperty("tokenguard.shared.dir");
    if (configured != null && Files.isDirectory(Path.of(configured, "testdata"))) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared");
      if (Files.isDirectory(candidate.resolve("testdata"))) {
        return candidate;
      }
      Path sibling = dir.resolveSibling("shared");
      if (Files.isDirectory(sibling.resolve("testdata"))) {
        return sibling;
      }
    }
    throw new IllegalStateException("cannot find the shared/ folder with testdata/ above " + Path.of("").toAbsolutePath());
  }

  /** The repository's README.md (found walking up from where the tests run), for tests that keep it true. */
  public static String readme() throws java.io.IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("core"))) {
        return Files.readString(dir.resolve("README.md"));
      }
    }
    throw new IllegalStateException("cannot find README.md above " + Path.of("").toAbsolutePath());
  }

  public static Path wycheproof(String file) {
    return shared().resolve("testdata").resolve("wycheproof").resolve(file);
  }
}
