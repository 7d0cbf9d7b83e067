/**
 * The OkHttp transport: {@link io.phoenixchannels.okhttp.OkHttpTransport}.
 */
package io.phoenixchannels.okhttp;
