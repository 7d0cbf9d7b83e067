package io.phoenixchannels.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made by the JDK's own {@code keytool} for one test: an EC key, valid for two days, for
 * the subject alternative names given (such as {@code IP:127.0.0.1}). It gives the server its TLS context and a
 * client a context that trusts exactly this certificate.
 */
final class SelfSignedCertificate {
  private static final char[] PASSWORD = "test-only".toCharArray();

  private final KeyStore keyStore;
  private final Certificate certificate;

  private SelfSignedCertificate(KeyStore keyStore, Certificate certificate) {
    this.keyStore = keyStore;
    this.certificate = certificate;
  }

  /**
   * Runs {@code keytool -genkeypair} into a directory and loads the result.
   *
   * @param directory where the PKCS12 file goes (a test's temporary directory)
   * @param subjectAlternativeNames keytool's {@code SAN} extension value, such as {@code IP:127.0.0.1,DNS:localhost}
   */
  static SelfSignedCertificate generate(Path directory, String subjectAlternativeNames)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path file = directory.resolve("server-" + System.nanoTime() + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Phoenix test server", "-ext",
        "SAN=" + subjectAlternativeNames, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
        .redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, PASSWORD);
    }
    return new SelfSignedCertificate(keyStore, keyStore.getCertificate("server"));
  }

  /** The server's side: presents this certificate. */
  SSLContext serverContext() throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A client's side that trusts this certificate and nothing else. */
  SSLContext trustingContext() throws GeneralSecurityException, IOException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("server", certificate);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
