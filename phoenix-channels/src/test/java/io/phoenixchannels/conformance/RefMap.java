package io.phoenixchannels.conformance;

import java.util.HashMap;
import java.util.Map;

/**
 * The refs phoenix.js used in a trace, mapped to the refs this client used for the same frames. phoenix.js also
 * spends refs on its own callback registrations, so its refs are not 1, 2, 3 and are never compared literally: a
 * trace ref is bound to the client's ref the first time a trace {@code out} frame carrying it is compared with the
 * client's frame, and from then on the client must use that same ref wherever the trace does. The mapping is
 * one-to-one, so two different trace refs can never stand for one client ref.
 */
final class RefMap {
  private final Map<String, String> traceToClient = new HashMap<>();
  private final Map<String, String> clientToTrace = new HashMap<>();

  /**
   * Checks that the client used {@code clientRef} where phoenix.js used {@code traceRef}, binding them on first
   * sight.
   *
   * @throws AssertionError if the client's ref contradicts an earlier binding, or one is null and the other not
   */
  void bind(String traceRef, String clientRef, String field, String context) {
    if (isAbsent(traceRef) || isAbsent(clientRef)) {
      if (isAbsent(traceRef) != isAbsent(clientRef)) {
        throw new AssertionError(field + ": phoenix.js sent " + describe(traceRef) + ", the client "
            + describe(clientRef) + " in " + context);
      }
      return;
    }
    String bound = traceToClient.get(traceRef);
    if (bound != null) {
      if (!bound.equals(clientRef)) {
        throw new AssertionError(field + ": trace ref " + traceRef + " stands for the client's ref " + bound
            + ", but the client sent " + clientRef + " in " + context);
      }
      return;
    }
    String owner = clientToTrace.get(clientRef);
    if (owner != null) {
      throw new AssertionError(field + ": the client reused its ref " + clientRef + " (trace ref " + owner
          + ") where phoenix.js used a new ref " + traceRef + ", in " + context);
    }
    traceToClient.put(traceRef, clientRef);
    clientToTrace.put(clientRef, traceRef);
  }

  /**
   * Translates a trace ref of a server frame into the client's ref.
   *
   * @throws AssertionError for a ref no client frame has been bound to: the server would be answering something
   *     this client never sent
   */
  String toClient(String traceRef, String context) {
    if (isAbsent(traceRef)) {
      return traceRef;
    }
    String clientRef = traceToClient.get(traceRef);
    if (clientRef == null) {
      throw new AssertionError("the server frame " + context + " carries ref " + traceRef
          + ", which no frame of the client has been matched to");
    }
    return clientRef;
  }

  boolean isBound(String traceRef) {
    return traceToClient.containsKey(traceRef);
  }

  private static boolean isAbsent(String ref) {
    return ref == null || ref.isEmpty();
  }

  private static String describe(String ref) {
    return isAbsent(ref) ? "no ref" : "ref " + ref;
  }

  @Override
  public String toString() {
    return "RefMap" + traceToClient;
  }
}
