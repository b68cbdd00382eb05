package dev.tokenguard.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every record TokenGuard logs below {@code dev.tokenguard} (System.Logger goes to java.util.logging here), at every
 * level, as "LEVEL message stack-trace" lines. Close it to detach.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger root = Logger.getLogger("dev.tokenguard");
  private final Level before;
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  public LogCapture() {
    before = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(this);
  }

  /** The lines so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void publish(LogRecord r) {
    StringWriter trace = new StringWriter();
    if (r.getThrown() != null) {
      r.getThrown().printStackTrace(new PrintWriter(trace));
    }
    lines.add(r.getLevel() + " " + formatter.formatMessage(r) + " " + trace);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(before);
  }
}
