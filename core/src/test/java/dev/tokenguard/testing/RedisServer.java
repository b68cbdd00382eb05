package dev.tokenguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real Redis server (Debian's {@code redis-server}, which {@code .ci/run} installs) on 127.0.0.1 and a free
 * port, without persistence; {@link #kill()} and {@link #start()} again on the same port simulate an outage.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path dir;
  private Process process;

  public RedisServer() {
    this(JwksServer.freePort());
  }

  /** A server on {@code port} (reserved beforehand, for applications configured before the server starts). */
  public RedisServer(int port) {
    this.port = port;
    try {
      this.dir = Files.createTempDirectory("redis");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    start();
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the server and waits until it answers PING. */
  public synchronized RedisServer start() {
    String binary = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream()
        .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("redis-server is not installed (apt-get install redis-server; .ci/run does it)"));
    try {
      process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
          "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "yes")
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      if (answers()) {
        return this;
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer on port " + port);
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung host. */
  public synchronized void freeze() {
    signal("-STOP");
  }

  /** Lets a frozen server go on (SIGCONT). */
  public synchronized void thaw() {
    signal("-CONT");
  }

  private void signal(String sig) {
    try {
      new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends one command in the inline protocol and returns the first line of the answer. */
  public String command(String inline) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  private boolean answers() {
    return "+PONG".equals(command("PING"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
