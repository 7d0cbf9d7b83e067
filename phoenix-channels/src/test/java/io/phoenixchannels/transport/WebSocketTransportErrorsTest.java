package io.phoenixchannels.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.internal.transport.ConnectionErrors;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.MalformedInputException;
import org.junit.jupiter.api.Test;

/** How the JDK transport words the failures the JDK reports, so that error listeners learn what went wrong. */
class WebSocketTransportErrorsTest {

  @Test
  void aProtocolViolationNamesTheReasonTheJdkKeepsInItsCauses() {
    // The JDK's shape for a text frame that is not UTF-8: a bare ProtocolException over the reason, over the
    // decoder's own exception.
    Throwable jdkError = new ProtocolException().initCause(
        new IOException("Invalid UTF-8 in frame TEXT", new MalformedInputException(1)));
    assertThat(ConnectionErrors.describe(jdkError))
        .isEqualTo("java.net.ProtocolException: Invalid UTF-8 in frame TEXT");
  }

  @Test
  void anErrorThatSaysItAllIsLeftAsItIs() {
    assertThat(ConnectionErrors.describe(new IOException("connection reset")))
        .isEqualTo("java.io.IOException: connection reset");
    assertThat(ConnectionErrors.describe(new IOException("closed: broken pipe", new IOException("broken pipe"))))
        .isEqualTo("java.io.IOException: closed: broken pipe");
  }
}
