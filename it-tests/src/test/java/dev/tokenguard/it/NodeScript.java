package dev.tokenguard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Node script of the tests beside the npm package it needs, which the it-tests build installs into
 * {@code target/<package>} ({@code npm install --prefix}); the directory may be moved with a system property.
 */
final class NodeScript {
  private NodeScript() {}

  /**
   * Copies the test resource {@code /<script>} into the package's directory and returns it (absolute).
   *
   * @throws IllegalStateException when the package is not installed there
   */
  static Path prepare(String npmPackage, String script) throws IOException {
    Path dir = Path.of(System.getProperty("tokenguard." + npmPackage + ".dir", "target/" + npmPackage)).toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(npmPackage))) {
      throw new IllegalStateException("npm package " + npmPackage + " is not installed in " + dir + " (the it-tests build installs it)");
    }
    Path copy = dir.resolve(script);
    try (var in = NodeScript.class.getResourceAsStream("/" + script)) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }
}
