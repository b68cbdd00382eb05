package dev.tokenguard.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real reverse proxy (Debian's nginx or Caddy, which {@code .ci/run} installs) on 127.0.0.1, configured with the
 * forward-authentication file of the README's "Behind nginx or Caddy" section: the README's ports (TokenGuard 9000,
 * the application 8081, the proxy 8080) replaced by the test's, so the documented file is the tested one.
 */
enum ReverseProxy {
  NGINX("nginx", List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")),
  CADDY("caddy", List.of("/usr/bin/caddy", "/usr/local/bin/caddy"));

  private final String fence;
  private final List<String> binaries;

  ReverseProxy(String fence, List<String> binaries) {
    this.fence = fence;
    this.binaries = binaries;
  }

  /** A started proxy; {@link #close()} stops it. */
  record Running(Process process, int port, Path dir) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** What the proxy wrote to its error log and output, for failure messages. */
    String log() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (String f : List.of("error.log", "out.log")) {
        Path p = dir.resolve(f);
        if (Files.exists(p)) {
          sb.append(Files.readString(p));
        }
      }
      return sb.toString();
    }
  }

  /** The README's configuration file for this proxy. */
  String readmeConfig() throws IOException {
    Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int section = text.indexOf("### Behind nginx or Caddy");
    Matcher m = Pattern.compile("```" + fence + "\n(.*?)```", Pattern.DOTALL).matcher(text);
    if (section < 0 || !m.find(section)) {
      throw new AssertionError("README.md has no ```" + fence + " block in \"Behind nginx or Caddy\"");
    }
    return m.group(1);
  }

  /** Starts the proxy on a free port in front of TokenGuard's forward-auth endpoint and the application. */
  Running start(int tokenguardPort, int appPort) throws Exception {
    String binary = binaries.stream().filter(b -> Files.isExecutable(Path.of(b))).findFirst()
        .orElseThrow(() -> new AssertionError(name().toLowerCase() + " is not installed (.ci/run installs it: apt-get install "
            + (this == NGINX ? "nginx-light" : "caddy") + ")"));
    int port = freePort();
    Path dir = Files.createTempDirectory("tokenguard-" + fence);
    String site = readmeConfig().replace("127.0.0.1:9000", "127.0.0.1:" + tokenguardPort)
        .replace("127.0.0.1:8081", "127.0.0.1:" + appPort);
    ProcessBuilder pb;
    if (this == NGINX) {
      site = site.replace("listen 8080;", "listen 127.0.0.1:" + port + ";");
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\nerror_log "
          + dir.resolve("error.log") + " warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n"
          + "  client_body_temp_path " + dir + "/body;\n  proxy_temp_path " + dir + "/proxy;\n  fastcgi_temp_path " + dir
          + "/fastcgi;\n  uwsgi_temp_path " + dir + "/uwsgi;\n  scgi_temp_path " + dir + "/scgi;\n" + site + "}\n");
      pb = new ProcessBuilder(binary, "-p", dir.toString(), "-c", conf.toString());
    } else {
      site = site.replace(":8080 {", "http://127.0.0.1:" + port + " {");
      Path conf = dir.resolve("Caddyfile");
      Files.writeString(conf, "{\n  admin off\n  auto_https off\n}\n" + site);
      pb = new ProcessBuilder(binary, "run", "--config", conf.toString(), "--adapter", "caddyfile");
      Map<String, String> env = pb.environment();
      env.put("HOME", dir.toString());
      env.put("XDG_CONFIG_HOME", dir.toString());
      env.put("XDG_DATA_HOME", dir.toString());
    }
    Process process = pb.redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    Running running = new Running(process, port, dir);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!listening(port)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        running.close();
        throw new AssertionError(name() + " did not start: " + running.log());
      }
      Thread.sleep(50);
    }
    return running;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
