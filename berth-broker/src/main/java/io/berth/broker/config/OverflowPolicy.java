package io.berth.broker.config;

import java.util.Locale;

/** What happens to a message for a session whose queue is full. */
public enum OverflowPolicy {
  /** The oldest queued message not yet in flight is dropped to make room. */
  DROP_OLDEST,
  /** The new message is dropped for this session. */
  DROP_NEW,
  /** The new message is dropped for this session and a 5.0 publisher gets 0x97 Quota exceeded. */
  REJECT,
  /** The new message is dropped and the session's connection, if any, is closed (0x97). */
  DISCONNECT;

  public String optionName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static OverflowPolicy parse(String text) {
    for (OverflowPolicy p : values()) {
      if (p.optionName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "overflow must be drop-oldest, drop-new, reject or disconnect, not '" + text + "'");
  }
}
