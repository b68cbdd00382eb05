package dev.tokenguard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set KEY=VALUE}, shared by every command (a picocli mixin). */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with TokenGuard keys.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One TokenGuard key; repeatable, the later wins.")
  List<String> sets = new ArrayList<>();

  /** The keys: {@code TOKENGUARD_<KEY>} environment variables, then the file, then each {@code --set}. */
  Map<String, String> load() {
    return ConfigSources.load(config, sets, System.getenv());
  }
}
