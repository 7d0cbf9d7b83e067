package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a JSON argument (a payload, join params) with Jackson; invalid JSON is a usage error naming the problem. */
final class JsonConverter implements ITypeConverter<JsonNode> {
  @Override
  public JsonNode convert(String value) {
    try {
      return Json.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
