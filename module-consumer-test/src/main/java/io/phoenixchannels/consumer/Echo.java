package io.phoenixchannels.consumer;

/**
 * A typed payload and reply.
 *
 * @param body the text
 */
public record Echo(String body) {}
