package io.berth.client;

import io.berth.codec.ReasonCode;

/**
 * Why an operation failed at run time: a negative acknowledgement from the broker (with its
 * {@link #reasonCode()}), a message dropped by the {@link OverflowPolicy}, a closed client, a failed
 * store. API misuse is reported at once with {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead.
 */
public final class MqttClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ReasonCode reasonCode;

  public MqttClientException(String message) {
    this(message, null, null);
  }

  public MqttClientException(String message, ReasonCode reasonCode) {
    this(message, reasonCode, null);
  }

  public MqttClientException(String message, ReasonCode reasonCode, Throwable cause) {
    super(reasonCode == null ? message : message + " (reason code 0x"
        + Integer.toHexString(reasonCode.code()) + " " + reasonCode + ")", cause);
    this.reasonCode = reasonCode;
  }

  /** The broker's reason code, or null when the failure did not come from the broker. */
  public ReasonCode reasonCode() {
    return reasonCode;
  }
}
