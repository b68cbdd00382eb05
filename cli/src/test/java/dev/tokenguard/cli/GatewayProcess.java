package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code tokenguard.jar} ({@code -Dtokenguard.cli.jar}, set by failsafe) started as a process the way a
 * user runs it: its base URL once it listens and every line it printed.
 */
record GatewayProcess(Process process, String baseUrl, List<String> lines) {
  private static final Pattern LISTENING = Pattern.compile("listening on (https?://[0-9.]+:[0-9]+)");

  /** The command line running the jar with {@code args}. */
  static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("tokenguard.cli.jar")));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Starts {@code serve --port 0 args}, adds it to {@code started} (for the caller to stop) and reads its output up
   * to the listening line, and with {@code devIssuer} through the printed walkthrough.
   */
  static GatewayProcess serve(List<Process> started, boolean devIssuer, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("serve", "--port", "0"));
    all.addAll(List.of(args));
    Process p = new ProcessBuilder(java(all.toArray(String[]::new))).redirectErrorStream(true).start();
    started.add(p);
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    String base = null;
    String line;
    while ((line = reader.readLine()) != null) {
      lines.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        base = m.group(1);
      }
      if (base != null && (!devIssuer || line.contains("# mint another"))) {
        break;
      }
    }
    assertThat(base).as("the listening line; output: %s", lines).isNotNull();
    Thread drain = new Thread(() -> reader.lines().forEach(lines::add));
    drain.setDaemon(true);
    drain.start();
    return new GatewayProcess(p, base, lines);
  }

  /** The first printed line starting with {@code prefix}. */
  String line(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + lines));
  }

  /** The port it listens on. */
  int port() {
    return Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
  }
}
