package io.phoenixchannels.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people write them: {@code 500ms}, {@code 5s}, {@code 2m}, or ISO-8601 {@code PT5S}. */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m)");

  @Override
  public Duration convert(String value) {
    Matcher simple = SIMPLE.matcher(value.trim());
    Duration duration;
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      duration = switch (simple.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMinutes(amount);
      };
    } else {
      try {
        duration = Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a duration (write 500ms, 5s or 2m)");
      }
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return duration;
  }
}
