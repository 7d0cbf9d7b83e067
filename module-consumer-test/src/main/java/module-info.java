/**
 * An application of the published modules, as a user writes it on the module path.
 */
module io.phoenixchannels.consumer {
  requires io.phoenixchannels;
  requires io.phoenixchannels.netty;
  requires io.phoenixchannels.kotlin;
  requires io.phoenixchannels.okhttp;
  requires io.phoenixchannels.testserver;

  // Jackson reads and writes this module's records (typed payloads and replies) by reflection.
  opens io.phoenixchannels.consumer to com.fasterxml.jackson.databind;
}
