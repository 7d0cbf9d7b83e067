/**
 * An OkHttp transport for Phoenix Channels for Java: the client on Android, where {@code java.net.http} does not
 * exist, or anywhere an app already configures an {@code OkHttpClient}. Start with
 * {@link io.phoenixchannels.okhttp.OkHttpTransport#factory(okhttp3.OkHttpClient)}.
 */
module io.phoenixchannels.okhttp {
  requires transitive io.phoenixchannels;
  requires transitive okhttp3;

  exports io.phoenixchannels.okhttp;
}
