package dev.tokenguard.observe;

import dev.tokenguard.RejectionReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The listeners of one TokenGuard as one: each event goes to each listener in order; a listener that throws is
 * logged once (WARNING) and the event goes on to the others. {@link #NONE} when nobody listens; then no event
 * allocates anything (the request path calls some of these on every request).
 */
public final class Listeners implements TokenGuardListener {
  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

  /** Nobody listens. */
  public static final Listeners NONE = new Listeners(List.of());

  private final TokenGuardListener[] listeners;
  private final AtomicBoolean warned = new AtomicBoolean();

  private Listeners(List<TokenGuardListener> listeners) {
    this.listeners = listeners.toArray(TokenGuardListener[]::new);
  }

  /** All of {@code listeners}, or {@link #NONE} when empty. */
  public static Listeners of(List<TokenGuardListener> listeners) {
    return listeners.isEmpty() ? NONE : new Listeners(listeners);
  }

  /** Whether anybody listens (callers skip measuring when not). */
  public boolean active() {
    return listeners.length > 0;
  }

  private void each(Consumer<TokenGuardListener> event) {
    for (TokenGuardListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
          LOG.log(System.Logger.Level.WARNING, "TokenGuard listener " + l.getClass().getName()
              + " failed; its failures are ignored and not logged again", e);
        }
      }
    }
  }

  @Override
  public void started(GuardStatus status) {
    if (listeners.length > 0) {
      each(l -> l.started(status));
    }
  }

  @Override
  public void proofChecked(String issuer, String binding, String refused) {
    if (listeners.length > 0) {
      each(l -> l.proofChecked(issuer, binding, refused));
    }
  }

  @Override
  public void requestDecided(String issuer, RejectionReason reason) {
    if (listeners.length > 0) {
      each(l -> l.requestDecided(issuer, reason));
    }
  }

  @Override
  public void tokenCacheLookup(boolean hit) {
    if (listeners.length > 0) {
      each(l -> l.tokenCacheLookup(hit));
    }
  }

  @Override
  public void jwksFetched(String issuer, Duration latency, int keyCount, String failure) {
    if (listeners.length > 0) {
      each(l -> l.jwksFetched(issuer, latency, keyCount, failure));
    }
  }

  @Override
  public void jwksRefetchSkipped(String issuer) {
    if (listeners.length > 0) {
      each(l -> l.jwksRefetchSkipped(issuer));
    }
  }

  @Override
  public void userLookup(String provider, LookupResult result) {
    if (listeners.length > 0) {
      each(l -> l.userLookup(provider, result));
    }
  }

  @Override
  public void userApiCall(String provider, int status, Duration latency) {
    if (listeners.length > 0) {
      each(l -> l.userApiCall(provider, status, latency));
    }
  }

  @Override
  public void introspectionLookup(String issuer, boolean hit) {
    if (listeners.length > 0) {
      each(l -> l.introspectionLookup(issuer, hit));
    }
  }

  @Override
  public void introspectionCall(String issuer, String result, Duration latency) {
    if (listeners.length > 0) {
      each(l -> l.introspectionCall(issuer, result, latency));
    }
  }

  @Override
  public void userApiRetry(String provider, int status, Duration wait) {
    if (listeners.length > 0) {
      each(l -> l.userApiRetry(provider, status, wait));
    }
  }

  @Override
  public void userApiBreaker(String provider, String state) {
    if (listeners.length > 0) {
      each(l -> l.userApiBreaker(provider, state));
    }
  }
}
