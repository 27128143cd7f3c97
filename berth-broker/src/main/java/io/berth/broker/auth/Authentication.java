package io.berth.broker.auth;

import io.berth.codec.ReasonCode;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a login: the principal (empty for anonymous), or the reason it was refused.
 *
 * @param principal who the client is; null when refused
 * @param refusal the CONNACK reason code of a refusal; null when accepted
 */
public record Authentication(
        @Nullable String principal, @Nullable ReasonCode refusal) {
    public static Authentication accepted(String principal) {
        return new Authentication(principal, null);
    }

    public static Authentication refused(ReasonCode reason) {
        return new Authentication(null, reason);
    }

    public boolean isAccepted() {
        return refusal == null;
    }
}
