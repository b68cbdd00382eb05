package dev.tokenguard.it.oracle;

import java.util.Locale;
import java.util.Random;

/**
 * Random spellings of the oracle's canonical paths: one to three of the corpus' families (an encoded character,
 * a doubled slash, a dot segment, a {@code ;param}, a case change, a backslash or encoded slash, a trailing
 * slash) applied at random places, with a random method.
 */
public final class Spellings {
  private static final String[] METHODS = {"GET", "HEAD", "POST", "OPTIONS", "DELETE"};

  private Spellings() {}

  /** A method and a path within the application. */
  public static String[] mutate(Random random) {
    Route route = Route.values()[random.nextInt(Route.values().length)];
    String path = route.canonicalPath;
    int changes = 1 + random.nextInt(3);
    for (int i = 0; i < changes; i++) {
      path = once(path, random);
    }
    return new String[] {METHODS[random.nextInt(METHODS.length)], path};
  }

  private static String once(String path, Random random) {
    int at = 1 + random.nextInt(path.length() - 1);
    int slash = path.indexOf('/', at) < 0 ? path.lastIndexOf('/') : path.indexOf('/', at);
    switch (random.nextInt(8)) {
      case 0: {
        char c = path.charAt(at);
        if (c == '%' || c == '/') {
          return path;
        }
        String hex = String.format("%%%02X", (int) c);
        return path.substring(0, at) + (random.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT)) + path.substring(at + 1);
      }
      case 1: return path.substring(0, slash) + "/" + path.substring(slash);
      case 2: {
        String[] dots = {"/.", "/x/..", "/%2e", "/x/%2e%2e", "/.%2E"};
        return path.substring(0, slash) + dots[random.nextInt(dots.length)] + path.substring(slash);
      }
      case 3: return path.substring(0, slash) + ";p=" + random.nextInt(10) + path.substring(slash);
      case 4: {
        char c = path.charAt(at);
        return path.substring(0, at) + (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) + path.substring(at + 1);
      }
      case 5: {
        int s = path.indexOf('/', 1);
        if (s < 0) {
          return path;
        }
        String[] seps = {"\\", "%2F", "%5C", "%2f"};
        return path.substring(0, s) + seps[random.nextInt(seps.length)] + path.substring(s + 1);
      }
      case 6: return path + "/";
      default: return path + (random.nextBoolean() ? "%20" : "%3F");
    }
  }
}
