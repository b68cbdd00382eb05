package dev.tokenguard.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client that sends exactly the bytes a test asks for (several Authorization headers, tabs, non-ASCII),
 * which java.net.http refuses to send.
 */
public final class RawHttp {
  private RawHttp() {}

  /** An answer: status, headers (lower-case names), body. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  /** Sends {@code GET path} with {@code headers} (name, value pairs; values as UTF-8 bytes) to 127.0.0.1:port. */
  public static Response get(int port, String path, List<String[]> headers) throws IOException {
    return send(port, "GET", path, headers);
  }

  /**
   * Sends {@code method target} with {@code headers} to 127.0.0.1:port, the request target exactly as given.
   *
   * @throws IOException also when the server closes the connection without an answer
   */
  public static Response send(int port, String method, String target, List<String[]> headers) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream o = s.getOutputStream();
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      for (String[] h : headers) {
        req.write((h[0] + ": ").getBytes(StandardCharsets.ISO_8859_1));
        req.write(h[1].getBytes(StandardCharsets.UTF_8));
        req.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      req.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      o.write(req.toByteArray());
      o.flush();
      byte[] all = readAll(s.getInputStream());
      String text = new String(all, StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      String[] lines = head.split("\r\n");
      if (!lines[0].startsWith("HTTP/")) {
        throw new IOException("no HTTP answer");
      }
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, List<String>> hs = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        if (c > 0) {
          hs.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
              .add(lines[i].substring(c + 1).trim());
        }
      }
      if ("chunked".equalsIgnoreCase(String.join("", hs.getOrDefault("transfer-encoding", List.of())))) {
        body = dechunk(body);
      }
      return new Response(status, hs, body);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) break;
      int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
      if (size == 0) break;
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
