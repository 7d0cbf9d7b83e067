package io.phoenixchannels.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's defaults for every test class of the modules that use this test-jar (registered as a JUnit
 * extension in {@code META-INF/services}, turned on by the build's
 * {@code junit.jupiter.extensions.autodetection.enabled}): the first check at once, then every 10 ms. Awaitility's
 * own defaults wait 100 ms before the first check and between checks, which added a tenth of a second to every
 * {@code await()}, even one whose condition already held, several times in each of hundreds of scenario runs.
 * A wait ends as before when its condition holds or its deadline passes; only the needless delay goes.
 */
public final class QuickAwaits implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
  }
}
