package io.phoenixchannels.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the constant pools of compiled classes (JVMS §4.4). Every class, method and field a class file refers to,
 * and every descriptor and signature, is a UTF-8 entry of its constant pool, so these entries tell exactly which
 * other classes a class can ever load, with no need to run it.
 */
public final class ClassFiles {
  private ClassFiles() {}

  /** The directory or jar a class was loaded from: a module's compiled main classes. */
  public static Path locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Maps every class file under a directory (by its path relative to it, such as
   * {@code io/phoenixchannels/PhoenixSocket$Builder.class}) to the UTF-8 entries of its constant pool that contain
   * {@code needle}.
   */
  public static Map<String, List<String>> constantsContaining(Path classesDirectory, String needle) {
    Map<String, List<String>> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classesDirectory)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        List<String> hits = new ArrayList<>();
        for (String constant : utf8Constants(file)) {
          if (constant.contains(needle)) {
            hits.add(constant);
          }
        }
        if (!hits.isEmpty()) {
          found.put(classesDirectory.relativize(file).toString().replace('\\', '/'), hits);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The UTF-8 entries of a class file's constant pool. */
  public static List<String> utf8Constants(Path classFile) throws IOException {
    try (InputStream in = Files.newInputStream(classFile)) {
      return utf8Constants(in);
    }
  }

  private static List<String> utf8Constants(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    List<String> utf8 = new ArrayList<>();
    for (int index = 1; index < count; index++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8.add(in.readUTF()); // the class file's modified UTF-8 is DataInput's
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // Class, String, MethodType, Module, Package
        case 15 -> in.skipNBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
        case 5, 6 -> { // Long and Double take two entries
          in.skipNBytes(8);
          index++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + index);
      }
    }
    return utf8;
  }
}
