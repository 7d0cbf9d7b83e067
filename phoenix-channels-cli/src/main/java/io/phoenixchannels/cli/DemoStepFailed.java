package io.phoenixchannels.cli;

/** A step of the demo did not complete within its deadline: the demo stops there and exits 1. */
final class DemoStepFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DemoStepFailed(String message) {
    super(message);
  }
}
