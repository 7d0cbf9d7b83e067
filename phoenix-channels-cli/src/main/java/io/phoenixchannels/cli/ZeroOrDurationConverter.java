package io.phoenixchannels.cli;

import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** A duration as {@link DurationConverter} reads it, or zero ({@code 0}, {@code 0s}, {@code 0ms}): "none at all". */
final class ZeroOrDurationConverter implements ITypeConverter<Duration> {
  private static final Pattern ZERO = Pattern.compile("0+(ms|s|m)?");

  @Override
  public Duration convert(String value) {
    return ZERO.matcher(value.trim()).matches() ? Duration.ZERO : new DurationConverter().convert(value);
  }
}
