package io.berth.codec;

/**
 * Internal signal of a packet that must not be accepted: carries the one reason code that answers it.
 * Thrown by the packet decoders and caught only by {@link MqttDecoder}, which turns it into a
 * {@link DecodeFailure}. It has no stack trace: it is control flow, and malformed input is cheap to send.
 */
final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ReasonCode reasonCode;
    private final String description;

    DecodeException(ReasonCode reasonCode, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
        this.description = message;
    }

    /** The message, never null (unlike {@link Throwable#getMessage()} in general). */
    @Override
    public String getMessage() {
        return description;
    }

    static DecodeException malformed(String message) {
        return new DecodeException(ReasonCode.MALFORMED_PACKET, message);
    }

    static DecodeException protocolError(String message) {
        return new DecodeException(ReasonCode.PROTOCOL_ERROR, message);
    }

    ReasonCode reasonCode() {
        return reasonCode;
    }
}
