package dev.tokenguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 that reads each request's head and then resets the connection (RST, through
 * {@code SO_LINGER 0}) without answering: a key server or proxy that drops connections.
 */
public final class ResettingServer implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();

  public ResettingServer() {
    try {
      socket = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread t = new Thread(this::acceptLoop, "resetting-server");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>/jwks}. */
  public String jwksUri() {
    return "http://127.0.0.1:" + port() + "/jwks";
  }

  /** How many connections were accepted (and reset). */
  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        connections.incrementAndGet();
        readHead(s.getInputStream());
        s.setSoLinger(true, 0); // close() now sends RST instead of FIN
      } catch (IOException e) {
        // closed, or the client gave up: either way the next accept decides
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    for (int b; matched < 4 && (b = in.read()) != -1; ) {
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
