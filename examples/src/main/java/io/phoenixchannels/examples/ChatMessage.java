package io.phoenixchannels.examples;

/**
 * A chat message as the examples' server broadcasts it.
 *
 * @param user who wrote it
 * @param body what they wrote
 */
public record ChatMessage(String user, String body) {}
