package dev.tokenguard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Node script of the tests beside the npm package it needs, which the it-tests build installs into
 * {@code target/<package>} ({@code npm install --prefix}); the directory may be moved with a system property. Modules
 * that run the it-tests' scenarios (Tomcat, Spring, Quarkus) find it in the it-tests module beside them, which the
 * reactor builds first.
 */
final class NodeScript {
  private NodeScript() {}

  /**
   * Copies the test resource {@code /<script>} into the package's directory and returns it (absolute).
   *
   * @throws IllegalStateException when the package is not installed there
   */
  static Path prepare(String npmPackage, String script) throws IOException {
    String configured = System.getProperty("tokenguard." + npmPackage + ".dir");
    Path dir = configured != null ? Path.of(configured).toAbsolutePath() : installed(npmPackage);
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(npmPackage))) {
      throw new IllegalStateException("npm package " + npmPackage + " is not installed in " + dir + " (the it-tests build installs it)");
    }
    Path copy = dir.resolve(script);
    // each module copies the script it runs: scripts of one package do not depend on each other's copies
    try (var in = NodeScript.class.getResourceAsStream("/" + script)) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }

  /** {@code target/<package>} of this module, or of the it-tests module up to two levels above it. */
  private static Path installed(String npmPackage) {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null && here.getNameCount() - dir.getNameCount() <= 2; dir = dir.getParent()) {
      for (Path candidate : java.util.List.of(dir.resolve("target").resolve(npmPackage), dir.resolve("it-tests").resolve("target").resolve(npmPackage))) {
        if (Files.isDirectory(candidate.resolve("node_modules").resolve(npmPackage))) {
          return candidate;
        }
      }
    }
    return here.resolve("target").resolve(npmPackage);
  }
}
