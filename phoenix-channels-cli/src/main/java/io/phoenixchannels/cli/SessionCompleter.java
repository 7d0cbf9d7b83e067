package io.phoenixchannels.cli;

import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion at the prompt: the command words, then the topics of the session. */
final class SessionCompleter implements Completer {
  private final Session session;

  SessionCompleter(Session session) {
    this.session = session;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0) {
      SessionCommands.NAMES.forEach(name -> candidates.add(new Candidate(name)));
      return;
    }
    if (line.wordIndex() != 1) {
      return;
    }
    String command = line.words().get(0);
    Set<String> topics = switch (command) {
      case "join" -> session.topicsSeen();
      case "leave", "push", "presence" -> session.topics();
      default -> Set.of();
    };
    topics.forEach(topic -> candidates.add(new Candidate(topic)));
  }
}
