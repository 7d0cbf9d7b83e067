package io.phoenixchannels.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code the build's Android API check skips, with the reason it is safe: code that runs only where the missing
 * type exists (a JVM, or a newer Android). Android resolves such references lazily, so they fail only when run.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface AndroidExempt {
  /**
   * Why the code is safe on Android.
   *
   * @return the reason
   */
  String value();
}
