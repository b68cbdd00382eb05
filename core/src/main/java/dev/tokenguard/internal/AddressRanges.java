package dev.tokenguard.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP addresses given as literals or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}); never
 * resolves a name. IPv4 ranges do not match IPv6 addresses, except that an IPv4-mapped IPv6 address
 * ({@code ::ffff:10.0.0.1}) is read as the IPv4 one. Immutable.
 */
public final class AddressRanges {
  private record Range(byte[] network, int bits, String text) {}

  private final List<Range> ranges;

  private AddressRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Reads {@code values}.
   *
   * @throws IllegalArgumentException saying which value is not an IP literal or CIDR range
   */
  public static AddressRanges parse(List<String> values) {
    List<Range> out = new ArrayList<>();
    for (String value : values) {
      String v = value.trim();
      int slash = v.indexOf('/');
      byte[] address = literal(slash < 0 ? v : v.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("'" + value + "' is not an IP address or CIDR range (names are not resolved)");
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(v.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("'" + value + "' has a prefix length outside 0.." + address.length * 8);
        }
      }
      out.add(new Range(address, bits, v));
    }
    return new AddressRanges(out);
  }

  /** Whether there is no range at all. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code address} (an IP literal, as a host reports a peer's address) lies in one of the ranges. */
  public boolean contains(String address) {
    if (address == null || ranges.isEmpty()) {
      return false;
    }
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    byte[] bytes = literal(a);
    if (bytes == null) {
      return false;
    }
    for (Range r : ranges) {
      if (r.network.length == bytes.length && samePrefix(r.network, bytes, r.bits)) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int whole = bits / 8;
    for (int i = 0; i < whole; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (a[whole] & mask) == (b[whole] & mask);
  }

  /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or {@code null} when {@code text} is not one. */
  private static byte[] literal(String text) {
    if (text.isEmpty() || !(text.indexOf(':') >= 0 ? text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')
        : text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.'))) {
      return null; // never a name: InetAddress would resolve it
    }
    if (text.indexOf(':') < 0 && text.chars().filter(c -> c == '.').count() != 3) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return ranges.stream().map(Range::text).toList().toString();
  }
}
