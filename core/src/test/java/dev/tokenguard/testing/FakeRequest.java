package dev.tokenguard.testing;

import dev.tokenguard.http.HttpRequestView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request as an adapter would describe it, built fluently by tests. */
public final class FakeRequest implements HttpRequestView {
  private final String method;
  private final String path;
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private final Map<String, List<String>> query = new LinkedHashMap<>();
  private final List<String> headerNames = new ArrayList<>();
  private String origin;
  private java.security.cert.X509Certificate certificate;
  private String remoteAddress;

  private FakeRequest(String method, String path) {
    this.method = method;
    this.path = path;
  }

  public static FakeRequest get(String path) {
    return new FakeRequest("GET", path);
  }

  public static FakeRequest of(String method, String path) {
    return new FakeRequest(method, path);
  }

  public FakeRequest header(String name, String value) {
    headerNames.add(name);
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
    return this;
  }

  /** The names of the headers as given, in order (a name given twice appears twice). */
  public List<String> headerNames() {
    return List.copyOf(headerNames);
  }

  public FakeRequest bearer(String token) {
    return header("Authorization", "Bearer " + token);
  }

  /** The origin the host reports ({@code https://api.example.com}). */
  public FakeRequest origin(String value) {
    origin = value;
    return this;
  }

  /** The TLS client certificate. */
  public FakeRequest certificate(java.security.cert.X509Certificate value) {
    certificate = value;
    return this;
  }

  /** The peer's address. */
  public FakeRequest from(String address) {
    remoteAddress = address;
    return this;
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public java.security.cert.X509Certificate clientCertificate() {
    return certificate;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  public FakeRequest query(String name, String value) {
    query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String rawPath() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  @Override
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  @Override
  public List<String> queryParameters(String name) {
    return query.getOrDefault(name, List.of());
  }
}
