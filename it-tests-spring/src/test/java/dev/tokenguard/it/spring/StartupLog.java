package dev.tokenguard.it.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What TokenGuard's auto-configuration logs while an application starts, captured from its JDK logger (Spring bridges
 * that logger to its own): each line as its level and text.
 */
public final class StartupLog extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.tokenguard.spring.TokenGuardAutoConfiguration");
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private StartupLog() {
    logger.addHandler(this);
  }

  /** Starts capturing; {@link #close()} stops. */
  public static StartupLog capture() {
    return new StartupLog();
  }

  /** The report on the application's own security chains, or {@code null} when none was logged. */
  public String chainReport() {
    List<String> reports = lines.stream().filter(l -> l.contains("default security chain")).toList();
    if (reports.size() > 1) {
      throw new AssertionError("more than one chain report: " + reports);
    }
    return reports.isEmpty() ? null : reports.get(0);
  }

  @Override
  public void publish(LogRecord r) {
    lines.add(r.getLevel() + " " + r.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
